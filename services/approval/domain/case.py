"""A request on its way through the tenant's approval steps (verifikasi, disposisi, persetujuan).

The steps, their roles and standard times come from the tenant profile, never from code.
"""
from __future__ import annotations

from datetime import datetime

from shared.calendar import WorkingCalendar
from shared.events.contracts import (
    Disposed, RequestApproved, RequestRejected, RequestReturned, RequestVerified, StepTiming,
)
from shared.domain import Aggregate, DomainRuleBroken
from shared.tenants import ApprovalStep, RejectAction, Role


class ApprovalCase(Aggregate):
    stream_prefix = "approval"

    def __init__(self, id: str, tenant: str):
        super().__init__(id, tenant)
        self.steps: list[ApprovalStep] = []
        self.calendar: WorkingCalendar | None = None
        self.step_index = 0
        self.step_started_at: datetime | None = None
        self.closed = False

    def open(self, steps: list[ApprovalStep], calendar: WorkingCalendar, submitted_at: datetime) -> "ApprovalCase":
        self.steps, self.calendar, self.step_started_at = steps, calendar, submitted_at
        return self

    @property
    def step(self) -> ApprovalStep:
        return self.steps[self.step_index]

    @property
    def is_last_step(self) -> bool:
        return self.step_index == len(self.steps) - 1

    def timing(self, finished: datetime) -> StepTiming:
        assessment = self.calendar.assess(self.step_started_at, finished, self.step.standard.to_standard())
        return StepTiming.of(self.step.id, assessment)

    def pass_on(self, by: str, note: str, addressee: str | None, now: datetime) -> None:
        """Verify, or hand on (disposisi) to the next step's role."""
        self._must_be_open()
        if self.is_last_step:
            raise DomainRuleBroken("action", "langkah terakhir: setujui atau tolak permohonan", 409)
        timing = self.timing(now)
        if self.step.role == Role.VERIFIER:
            self.record(RequestVerified(request_id=self.id, by=by, timing=timing))
            return
        following = self.steps[self.step_index + 1]
        self.record(Disposed(request_id=self.id, by=by, timing=timing, to_step=following.id,
                             to_role=following.role.value, addressee=addressee, note=note))

    def approve(self, by: str, now: datetime, signed: bool = True) -> None:
        self._must_be_open()
        if not self.is_last_step:
            raise DomainRuleBroken("action", f"permohonan masih pada langkah '{self.step.name}'", 409)
        self.record(RequestApproved(request_id=self.id, by=by, timing=self.timing(now), signed=signed))

    def reject(self, by: str, reason: str, now: datetime) -> None:
        """Tolak, or what the step's `on_reject` rule says instead (return, restart)."""
        self._must_be_open()
        rule = self.step.on_reject
        timing = self.timing(now)
        if rule.action == RejectAction.RETURN_TO_REQUESTER:
            self.record(RequestReturned(request_id=self.id, by=by, timing=timing, missing_items=[reason]))
        elif rule.action == RejectAction.RESTART_FROM_STEP:
            self.record(Disposed(request_id=self.id, by=by, timing=timing, to_step=rule.step,
                                 to_role=self._step_named(rule.step).role.value, note=reason))
        else:
            self.record(RequestRejected(request_id=self.id, by=by, timing=timing, reason=reason))

    def _must_be_open(self) -> None:
        if self.closed:
            raise DomainRuleBroken("request_id", "permohonan sudah diputuskan", status=409)

    def _step_named(self, step_id: str) -> ApprovalStep:
        return next(step for step in self.steps if step.id == step_id)

    def _move_to(self, index: int, at: datetime) -> None:
        self.step_index, self.step_started_at = index, at

    def when_request_verified(self, event: RequestVerified) -> None:
        self._move_to(self.step_index + 1, event.timing.finished_at)

    def when_request_disposed(self, event: Disposed) -> None:
        self._move_to(self.steps.index(self._step_named(event.to_step)), event.timing.finished_at)

    def when_request_returned(self, event: RequestReturned) -> None:
        self._move_to(0, event.timing.finished_at)

    def when_request_approved(self, event: RequestApproved) -> None:
        self.closed = True

    def when_request_rejected(self, event: RequestRejected) -> None:
        self.closed = True
