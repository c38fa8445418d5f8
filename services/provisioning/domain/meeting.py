"""A facilitated meeting: scheduled on a host account, made ready, held and reported."""
from __future__ import annotations

from datetime import datetime

from shared.events.contracts import EquipmentReady, MeetingHeld, MeetingScheduled
from shared.domain import Aggregate, DomainRuleBroken


class Meeting(Aggregate):
    stream_prefix = "meeting"

    def __init__(self, id: str, tenant: str):
        super().__init__(id, tenant)
        self.meeting_id: str | None = None
        self.ready = False
        self.held = False

    @classmethod
    def schedule(cls, tenant: str, scheduled: MeetingScheduled) -> "Meeting":
        meeting = cls(scheduled.request_id, tenant)
        meeting.record(scheduled)
        return meeting

    def mark_ready(self, checklist: list[str], requester_supplies: list[str], at: datetime) -> None:
        """Jaringan, peralatan, lokasi dan uji coba siap."""
        if self.ready:
            raise DomainRuleBroken("meeting", "peralatan sudah dinyatakan siap", status=409)
        self.record(EquipmentReady(request_id=self.id, meeting_id=self.meeting_id, checklist=checklist,
                                   requester_supplies=requester_supplies, ready_at=at))

    def record_held(self, started_at: datetime, ended_at: datetime, attendance: int, problems: str,
                    recording_kept: bool) -> None:
        """Laporan pelaksanaan."""
        if self.held:
            raise DomainRuleBroken("meeting", "laporan pelaksanaan sudah dibuat", status=409)
        if ended_at <= started_at:
            raise DomainRuleBroken("ended_at", "waktu selesai harus setelah waktu mulai")
        self.record(MeetingHeld(request_id=self.id, meeting_id=self.meeting_id, started_at=started_at,
                                ended_at=ended_at, attendance=attendance, problems=problems,
                                recording_kept=recording_kept))

    def when_meeting_scheduled(self, event: MeetingScheduled) -> None:
        self.meeting_id = event.meeting_id

    def when_equipment_ready(self, event: EquipmentReady) -> None:
        self.ready = True

    def when_meeting_held(self, event: MeetingHeld) -> None:
        self.held = True
