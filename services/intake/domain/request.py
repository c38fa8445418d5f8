"""Permohonan: an agency's request for a facilitated meeting, from submission to withdrawal."""

from __future__ import annotations

from typing import Any
from dataclasses import dataclass
from datetime import datetime

from intake.domain.amendment import DETAILS_IN_EVENTS
from intake.domain.rules import PARTICIPANT_LIST
from shared.domain import Aggregate, DomainRuleBroken
from shared.events.contracts import (
    RequestAmended,
    RequestRescheduled,
    RequestSubmitted,
    RequestWithdrawn,
)


@dataclass(frozen=True)
class Progress:
    """What the other services did with the request so far, as intake has heard it."""

    verification_started: bool = False
    closed_as: str | None = None
    """`rejected` or `held`: nothing more can change."""


CLOSED = {"rejected": "permohonan sudah ditolak", "held": "acara sudah terlaksana"}


class Request(Aggregate):
    stream_prefix = "request"

    def __init__(self, id: str, tenant: str):
        super().__init__(id, tenant)
        self.starts_at: datetime | None = None
        self.ends_at: datetime | None = None
        self.withdrawn = False
        self.details: dict[str, Any] = {}
        """The request's fields as the events carry them (no personal data)."""

    @classmethod
    def submit(cls, tenant: str, submitted: RequestSubmitted) -> "Request":
        request = cls(submitted.request_id, tenant)
        request.record(submitted)
        return request

    def amend(self, changes: dict[str, object], now: datetime, progress: Progress) -> None:
        """Perbaikan: allowed until verification starts (again after the request was returned)."""
        self._still_changeable(now, progress)
        if progress.verification_started:
            raise DomainRuleBroken(
                "request",
                "permohonan sudah diverifikasi dan tidak dapat diubah lagi;"
                " ajukan jadwal ulang atau batalkan permohonan",
                status=409,
            )
        if not changes:
            raise DomainRuleBroken("request", "tidak ada perubahan pada permohonan")
        self.record(RequestAmended(request_id=self.id, changes=changes, amended_at=now))

    def reschedule(
        self, starts_at: datetime, ends_at: datetime, reason: str, now: datetime, progress: Progress
    ) -> None:
        """Jadwal ulang: the request goes through the tenant's approval steps again."""
        self._still_changeable(now, progress)
        if (starts_at, ends_at) == (self.starts_at, self.ends_at):
            raise DomainRuleBroken("starts_at", "jadwal baru sama dengan jadwal sekarang")
        self.record(
            RequestRescheduled(
                request_id=self.id,
                starts_at=starts_at,
                ends_at=ends_at,
                previous_starts_at=self.starts_at,
                previous_ends_at=self.ends_at,
                reason=reason,
                rescheduled_at=now,
            )
        )

    def withdraw(self, reason: str, now: datetime, progress: Progress = Progress()) -> None:
        """Withdrawal is allowed any time before the meeting starts."""
        self._still_changeable(now, progress, verb="dibatalkan")
        self.record(RequestWithdrawn(request_id=self.id, reason=reason, withdrawn_at=now))

    def _still_changeable(self, now: datetime, progress: Progress, verb: str = "diubah") -> None:
        if self.withdrawn:
            raise DomainRuleBroken("request", "permohonan sudah dibatalkan", status=409)
        if progress.closed_as in CLOSED:
            raise DomainRuleBroken("request", f"{CLOSED[progress.closed_as]}", status=409)
        if self.starts_at and now >= self.starts_at:
            raise DomainRuleBroken("request", f"permohonan tidak dapat {verb} setelah acara dimulai", status=409)

    def when_request_submitted(self, event: RequestSubmitted) -> None:
        self.starts_at, self.ends_at = event.starts_at, event.ends_at
        self.details = event.model_dump(mode="json", include=set(DETAILS_IN_EVENTS))
        participants = {PARTICIPANT_LIST: event.participant_list_ref} if event.participant_list_ref else {}
        self.details["documents"] = {**event.document_refs, **participants}

    def when_request_amended(self, event: RequestAmended) -> None:
        self.details |= {name: value for name, value in event.changes.items() if name in DETAILS_IN_EVENTS}

    def when_request_rescheduled(self, event: RequestRescheduled) -> None:
        self.starts_at, self.ends_at = event.starts_at, event.ends_at

    def when_request_withdrawn(self, event: RequestWithdrawn) -> None:
        self.withdrawn = True
