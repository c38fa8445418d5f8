"""Permohonan: an agency's request for a facilitated meeting, from submission to withdrawal."""
from __future__ import annotations

from datetime import datetime

from shared.events.contracts import RequestSubmitted, RequestWithdrawn
from shared.domain import Aggregate, DomainRuleBroken


class Request(Aggregate):
    stream_prefix = "request"

    def __init__(self, id: str, tenant: str):
        super().__init__(id, tenant)
        self.starts_at: datetime | None = None
        self.withdrawn = False

    @classmethod
    def submit(cls, tenant: str, submitted: RequestSubmitted) -> "Request":
        request = cls(submitted.request_id, tenant)
        request.record(submitted)
        return request

    def withdraw(self, reason: str, now: datetime) -> None:
        """Withdrawal is allowed any time before the meeting starts."""
        if self.withdrawn:
            raise DomainRuleBroken("request", "permohonan sudah dibatalkan", status=409)
        if self.starts_at and now >= self.starts_at:
            raise DomainRuleBroken("request", "permohonan tidak dapat dibatalkan setelah acara dimulai",
                                   status=409)
        self.record(RequestWithdrawn(request_id=self.id, reason=reason, withdrawn_at=now))

    def when_request_submitted(self, event: RequestSubmitted) -> None:
        self.starts_at = event.starts_at

    def when_request_withdrawn(self, event: RequestWithdrawn) -> None:
        self.withdrawn = True
