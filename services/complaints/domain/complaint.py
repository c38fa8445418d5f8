"""Pengaduan: received by the complaints officer, answered and closed within its deadline."""
from __future__ import annotations

from datetime import datetime

from shared.calendar import WorkingCalendar
from shared.events.contracts import ComplaintReceived, ComplaintResolved, StepTiming
from shared.domain import Aggregate, DomainRuleBroken
from shared.tenants import ComplaintDeadlines

KINDS = {
    "light": "pengaduan ringan",
    "normative": "pengaduan bersifat normatif",
    "not_supervisory": "pengaduan tidak berkadar pengawasan",
    "supervisory": "pengaduan berkadar pengawasan dan memerlukan pemeriksaan",
}


class Complaint(Aggregate):
    stream_prefix = "complaint"

    def __init__(self, id: str, tenant: str):
        super().__init__(id, tenant)
        self.kind: str | None = None
        self.received_at: datetime | None = None
        self.resolved = False

    @classmethod
    def receive(cls, id: str, tenant: str, kind: str, deadlines: ComplaintDeadlines,
                calendar: WorkingCalendar, received_at: datetime, **details) -> "Complaint":
        if kind not in KINDS:
            raise DomainRuleBroken("kind", "jenis pengaduan harus salah satu dari: " + ", ".join(KINDS))
        due = calendar.due(received_at, getattr(deadlines, kind).to_standard())
        complaint = cls(id, tenant)
        complaint.record(ComplaintReceived(complaint_id=id, kind=kind, received_at=received_at,
                                           due_at=due, **details))
        return complaint

    def resolve(self, deadlines: ComplaintDeadlines, calendar: WorkingCalendar, now: datetime,
                by: str | None = None) -> None:
        if self.resolved:
            raise DomainRuleBroken("complaint_id", "pengaduan sudah diselesaikan", status=409)
        assessment = calendar.assess(self.received_at, now, getattr(deadlines, self.kind).to_standard())
        self.record(ComplaintResolved(complaint_id=self.id, timing=StepTiming.of(self.kind, assessment),
                                      resolved_by=by))

    def when_complaint_received(self, event: ComplaintReceived) -> None:
        self.kind, self.received_at = event.kind, event.received_at

    def when_complaint_resolved(self, event: ComplaintResolved) -> None:
        self.resolved = True
