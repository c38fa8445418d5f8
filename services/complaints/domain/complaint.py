"""Pengaduan as Purbalingga's flow draws it: received by the complaints officer (Pejabat
Pengelola Pengaduan), classified by kind (which sets the deadline in working days), handed to
the handling team, answered to the complainant, closed; reopened when the answer does not
settle it. Saran and apresiasi are received the same way, without a deadline or handling."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.calendar import Standard, WorkingCalendar
from shared.domain import Aggregate, DomainRuleBroken
from shared.events.contracts.complaints import (
    ComplaintAnswered,
    ComplaintAssigned,
    ComplaintClassified,
    ComplaintReceived,
    ComplaintReopened,
    ComplaintResolved,
)
from shared.events.contracts.common import StepTiming
from shared.tenants import ComplaintDeadlines

KINDS = {
    "light": "pengaduan ringan",
    "normative": "pengaduan bersifat normatif",
    "not_supervisory": "pengaduan tidak berkadar pengawasan",
    "supervisory": "pengaduan berkadar pengawasan dan memerlukan pemeriksaan",
}
CATEGORIES = {"complaint": "pengaduan", "suggestion": "saran/masukan", "appreciation": "apresiasi"}
STATUSES = {
    "received": "Diterima",
    "classified": "Diklasifikasi",
    "assigned": "Ditangani tim",
    "answered": "Dijawab",
    "closed": "Selesai",
    "reopened": "Dibuka kembali",
}


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise DomainRuleBroken("kind", "jenis pengaduan harus salah satu dari: " + ", ".join(KINDS))
    return kind


class Complaint(Aggregate):
    stream_prefix = "complaint"

    def __init__(self, id: str, tenant: str):
        super().__init__(id, tenant)
        self.category = "complaint"
        self.kind: str | None = None
        self.status = "received"
        self.clock_started: datetime | None = None
        """Receipt, or the last reopening: where the deadline and the resolution time count from."""
        self.due_at: datetime | None = None
        self.assignee: str | None = None
        self.assigned = False
        self.received: ComplaintReceived | None = None
        self.answered_at: datetime | None = None
        self.closed: ComplaintResolved | None = None

    @classmethod
    def receive(
        cls,
        id: str,
        tenant: str,
        received_at: datetime,
        *,
        category: str = "complaint",
        kind: str | None = None,
        deadlines: ComplaintDeadlines | None = None,
        calendar: WorkingCalendar | None = None,
        **details: Any,
    ) -> "Complaint":
        """A kind known at receipt (an officer recording a complaint) classifies it at once."""
        if kind is not None and category != "complaint":
            raise DomainRuleBroken("kind", "hanya pengaduan yang diklasifikasi; saran dan apresiasi tidak")
        due = None
        if kind:
            assert deadlines is not None and calendar is not None, "a kind at receipt comes with its deadlines"
            due = _due(check_kind(kind), deadlines, calendar, received_at)
        complaint = cls(id, tenant)
        complaint.record(
            ComplaintReceived(
                complaint_id=id, category=category, kind=kind, received_at=received_at, due_at=due, **details
            )
        )
        return complaint

    def classify(
        self, kind: str, deadlines: ComplaintDeadlines, calendar: WorkingCalendar, by: str, now: datetime
    ) -> None:
        self._must_be_a_complaint()
        if self.kind is not None:
            raise DomainRuleBroken("kind", f"pengaduan sudah diklasifikasi sebagai {KINDS[self.kind]}", status=409)
        due = _due(check_kind(kind), deadlines, calendar, self._started())
        self.record(
            ComplaintClassified(complaint_id=self.id, kind=kind, due_at=due, classified_by=by, classified_at=now)
        )

    def assign(self, assignee: str | None, by: str, now: datetime) -> None:
        self._must_be_in_handling()
        self.record(ComplaintAssigned(complaint_id=self.id, assignee=assignee, assigned_by=by, assigned_at=now))

    def answer(self, answer_ref: str, by: str, now: datetime) -> None:
        self._must_be_in_handling()
        if self.status == "answered":
            raise DomainRuleBroken(
                "answer", "pengaduan sudah dijawab; tutup, atau tunggu pengadu membukanya kembali", status=409
            )
        self.record(ComplaintAnswered(complaint_id=self.id, answer_ref=answer_ref, answered_by=by, answered_at=now))

    def close(self, deadlines: ComplaintDeadlines, calendar: WorkingCalendar, by: str | None, now: datetime) -> None:
        if self.status == "closed":
            raise DomainRuleBroken("complaint_id", "pengaduan sudah diselesaikan", status=409)
        if self.status != "answered":
            raise DomainRuleBroken("complaint_id", "pengaduan baru dapat ditutup setelah dijawab", status=409)
        kind = self._kind()
        assessment = calendar.assess(self._started(), now, _standard(deadlines, kind))
        self.record(ComplaintResolved(complaint_id=self.id, timing=StepTiming.of(kind, assessment), resolved_by=by))

    def reopen(
        self, deadlines: ComplaintDeadlines, calendar: WorkingCalendar, now: datetime, by: str | None = None
    ) -> None:
        if self.status not in ("answered", "closed"):
            raise DomainRuleBroken(
                "complaint_id", "hanya pengaduan yang sudah dijawab dapat dibuka kembali", status=409
            )
        self.record(
            ComplaintReopened(
                complaint_id=self.id,
                reopened_at=now,
                reopened_by=by,
                due_at=_due(self._kind(), deadlines, calendar, now),
            )
        )

    def _started(self) -> datetime:
        assert self.clock_started is not None, "set at receipt"
        return self.clock_started

    def _kind(self) -> str:
        assert self.kind is not None, "a complaint is classified before it is answered"
        return self.kind

    def _must_be_a_complaint(self) -> None:
        if self.category != "complaint":
            raise DomainRuleBroken(
                "complaint_id", f"{CATEGORIES[self.category]} tidak ditangani sebagai pengaduan", status=409
            )

    def _must_be_in_handling(self) -> None:
        self._must_be_a_complaint()
        if self.kind is None:
            raise DomainRuleBroken("kind", "klasifikasikan pengaduan lebih dahulu", status=409)
        if self.status == "closed":
            raise DomainRuleBroken("complaint_id", "pengaduan sudah diselesaikan", status=409)

    def when_complaint_received(self, event: ComplaintReceived) -> None:
        self.received, self.category, self.kind, self.due_at = event, event.category, event.kind, event.due_at
        self.clock_started = event.received_at
        self.status = "classified" if event.kind else "received"

    def when_complaint_classified(self, event: ComplaintClassified) -> None:
        self.kind, self.due_at, self.status = event.kind, event.due_at, "classified"

    def when_complaint_assigned(self, event: ComplaintAssigned) -> None:
        self.assignee, self.assigned = event.assignee, True
        if self.status != "answered":
            self.status = "assigned"

    def when_complaint_answered(self, event: ComplaintAnswered) -> None:
        self.status, self.answered_at = "answered", event.answered_at

    def when_complaint_resolved(self, event: ComplaintResolved) -> None:
        self.status, self.closed = "closed", event

    def when_complaint_reopened(self, event: ComplaintReopened) -> None:
        self.status, self.clock_started, self.due_at = "reopened", event.reopened_at, event.due_at
        self.closed = None


def _standard(deadlines: ComplaintDeadlines, kind: str) -> Standard:
    standard: Standard = getattr(deadlines, kind).to_standard()
    return standard


def _due(kind: str, deadlines: ComplaintDeadlines, calendar: WorkingCalendar, start: datetime) -> datetime:
    return calendar.due(start, _standard(deadlines, kind))
