"""The state of an approval case, rebuilt from its events (see case.py for the decisions)."""

from __future__ import annotations

from datetime import datetime

from approval.domain.checklist import Checklist
from approval.domain.steps import StepKind, kind_of
from shared.calendar import WorkingCalendar
from shared.domain import Aggregate, DomainRuleBroken
from shared.events.contracts.approval import (
    Disposed,
    RequestApproved,
    RequestReassigned,
    RequestRejected,
    RequestReopened,
    RequestResubmitted,
    RequestReturned,
    RequestVerified,
)
from shared.events.contracts.common import StepTiming
from shared.tenants import ApprovalStep, DeliveryStep, TenantProfile


class CaseState(Aggregate):
    stream_prefix = "approval"

    def __init__(self, id: str, tenant: str):
        super().__init__(id, tenant)
        self.steps: list[ApprovalStep] = []
        self.calendar: WorkingCalendar | None = None
        self.checklist = Checklist([])
        self.hand_over_to: DeliveryStep | None = None
        self.step_index = 0
        self.step_started_at: datetime | None = None
        self.addressee: str | None = None
        self.with_requester = False
        self.outcome: str | None = None
        self.profile_version: str | None = None

    def open(self, profile: TenantProfile, submitted_at: datetime) -> "CaseState":
        """The case starts at the first step an official performs, when the request was submitted.

        `profile` is the version the case was opened with, whatever the tenant's profile is today."""
        self.steps, self.calendar = profile.approval_steps, profile.calendar()
        self.profile_version = profile.version()
        self.checklist = Checklist(profile.required_documents)
        self.hand_over_to = profile.delivery_steps[0] if profile.delivery_steps else None
        self.step_index, self.step_started_at = self.first_official_index, submitted_at
        return self

    @property
    def closed(self) -> bool:
        return self.outcome is not None

    @property
    def step(self) -> ApprovalStep:
        return self.steps[self.step_index]

    @property
    def is_last_step(self) -> bool:
        return self.step_index == len(self.steps) - 1

    @property
    def first_official_index(self) -> int:
        return self.official_index_from(0)

    def official_index_from(self, index: int) -> int:
        return next(i for i in range(index, len(self.steps)) if kind_of(self.steps[i]) is not StepKind.REQUESTER)

    def index_of(self, step_id: str | None) -> int:
        return next(i for i, step in enumerate(self.steps) if step.id == step_id)

    def opened_calendar(self) -> WorkingCalendar:
        assert self.calendar is not None, "set when the case opens"
        return self.calendar

    def _step_started(self) -> datetime:
        assert self.step_started_at is not None, "set when the case opens"
        return self.step_started_at

    def due_at(self) -> datetime:
        return self.opened_calendar().due(self._step_started(), self.step.standard.to_standard())

    def timing(self, finished: datetime) -> StepTiming:
        assessment = self.opened_calendar().assess(self._step_started(), finished, self.step.standard.to_standard())
        return StepTiming.of(self.step.id, assessment)

    def _must_be_open(self) -> None:
        if self.closed:
            raise DomainRuleBroken("request_id", "permohonan sudah diputuskan", status=409)

    def _move_to(self, index: int, at: datetime, addressee: str | None = None) -> None:
        self.step_index, self.step_started_at, self.addressee = index, at, addressee

    def when_request_verified(self, event: RequestVerified) -> None:
        self._move_to(self.step_index + 1, event.timing.finished_at)

    def when_request_disposed(self, event: Disposed) -> None:
        target = self.index_of(event.to_step)
        if kind_of(self.steps[target]) is StepKind.REQUESTER:  # written before returns had their own event
            self.with_requester = True
            target = self.official_index_from(target)
        self._move_to(target, event.timing.finished_at, event.addressee)

    def when_request_returned(self, event: RequestReturned) -> None:
        resume = self.index_of(event.resumes_at_step) if event.resumes_at_step else self.first_official_index
        self._move_to(resume, event.timing.finished_at)
        self.with_requester = True

    def when_request_resubmitted(self, event: RequestResubmitted) -> None:
        self._move_to(self.index_of(event.resumes_at_step), event.resubmitted_at)
        self.with_requester = False

    def when_request_reopened(self, event: RequestReopened) -> None:
        self._move_to(self.index_of(event.resumes_at_step), event.reopened_at)
        self.outcome, self.with_requester = None, False

    def when_request_reassigned(self, event: RequestReassigned) -> None:
        self.addressee = event.to_user

    def when_request_approved(self, event: RequestApproved) -> None:
        self.outcome = "approved"

    def when_request_rejected(self, event: RequestRejected) -> None:
        self.outcome = "rejected"
