"""A facilitated meeting: booked, scheduled on a host account, made ready, held and reported."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from typing import Any

from provisioning.domain.delivery import DeliveryPlan
from provisioning.domain.meeting_day import EARLY_START, as_recorded, check_end, check_start
from provisioning.domain.report import ExecutionReport
from provisioning.domain.resources import Window
from shared.domain import Aggregate, DomainRuleBroken
from provisioning.domain.lifecycle import MeetingFacts
from shared.events.contracts.provisioning import (
    DeliveryStepCompleted,
    EquipmentReady,
    ExecutionReportCorrected,
    LiveStreamConfigured,
    LiveStreamUnavailable,
    MeetingCancelled,
    MeetingEnded,
    MeetingFailed,
    MeetingHeld,
    MeetingRescheduled,
    MeetingScheduled,
    MeetingStarted,
    ReadinessCheckDone,
    RecordingCompleted,
    RecordingDeleted,
    RequesterToBringEquipment,
    ResourcesBooked,
    ResourcesReleased,
)
from shared.tenants import DoneWhen


class Meeting(MeetingFacts, Aggregate):
    stream_prefix = "meeting"

    @classmethod
    def schedule(cls, tenant: str, scheduled: MeetingScheduled) -> "Meeting":
        meeting = cls(scheduled.request_id, tenant)
        meeting.record(scheduled)
        return meeting

    def book(
        self,
        account_id: str,
        window: Window,
        operators: list[str] | None = None,
        kit_id: str | None = None,
        venue_id: str | None = None,
    ) -> None:
        """Pemesanan akun host, operator, perlengkapan dan lokasi untuk waktu rapat dan cadangannya."""
        self._refuse_when_closed()
        self.record(
            ResourcesBooked(
                request_id=self.id,
                account_id=account_id,
                operators=operators or [],
                kit_id=kit_id,
                venue_id=venue_id,
                booked_from=window.starts,
                booked_until=window.ends,
            )
        )

    def assign_crew(
        self, operators: list[str], kit_id: str | None, venue_id: str | None, required: tuple[str, ...], at: datetime
    ) -> None:
        """Penugasan operator: with the checks already done, the crew is what makes the meeting ready."""
        assert self.account_id is not None and self.window is not None, "a crew is assigned to a booked meeting"
        self.book(self.account_id, self.window, operators, kit_id, venue_id)
        if self.meeting_id and not self.ready and self.operators and set(required) <= self.checks_done:
            self._record_ready(at)

    def follow(self, plan: DeliveryPlan | None) -> "Meeting":
        """The tenant's delivery steps, timed as their milestones happen (not itself a fact)."""
        self.plan = plan
        return self

    def record_scheduled(
        self,
        provider: str,
        host: str,
        meeting_id: str,
        join_url: str,
        passcode: str,
        starts_at: datetime,
        ends_at: datetime,
        recording: bool,
        at: datetime | None = None,
    ) -> None:
        self._refuse_when_closed()
        self.record(
            MeetingScheduled(
                request_id=self.id,
                meeting_id=meeting_id,
                provider=provider,
                host_account=host,
                starts_at=starts_at,
                ends_at=ends_at,
                join_url=join_url,
                passcode=passcode,
                recording=recording,
            )
        )
        self._finish_steps(DoneWhen.MEETING_SCHEDULED, at)

    def record_live_stream(self, page_url: str) -> None:
        """Siaran langsung aktif: the public watch page, never the stream key."""
        self._refuse_unless_scheduled()
        self.record(LiveStreamConfigured(request_id=self.id, meeting_id=self.meeting_id, page_url=page_url))

    def record_live_stream_unavailable(self, problem: str, reason: str) -> None:
        self._refuse_unless_scheduled()
        self.record(
            LiveStreamUnavailable(request_id=self.id, meeting_id=self.meeting_id, problem=problem, reason=reason)
        )

    def reschedule(self, starts_at: datetime, ends_at: datetime) -> None:
        self._refuse_when_closed()
        if self.meeting_id:
            self.record(
                MeetingRescheduled(request_id=self.id, meeting_id=self.meeting_id, starts_at=starts_at, ends_at=ends_at)
            )

    def cancel(self, reason: str) -> None:
        """Permohonan ditarik: the provider's meeting is deleted and every booking released."""
        if self.cancelled or self.held:
            return
        if self.meeting_id:
            self.record(MeetingCancelled(request_id=self.id, meeting_id=self.meeting_id, reason=reason))
        else:
            self.record(ResourcesReleased(request_id=self.id, reason=reason))

    def require_from_requester(self, items: list[str]) -> None:
        if items and items != self.requester_supplies:
            self.record(RequesterToBringEquipment(request_id=self.id, items=items))

    def record_check(self, check: str, by: str, note: str, at: datetime, required: tuple[str, ...]) -> None:
        """One readiness check; the last required one makes the meeting ready (EquipmentReady)."""
        self._refuse_unless_scheduled()
        if self.ready:
            raise DomainRuleBroken("meeting", "peralatan sudah dinyatakan siap", status=409)
        self.record(
            ReadinessCheckDone(
                request_id=self.id, meeting_id=self.meeting_id, check=check, by=by, note=note, done_at=at
            )
        )
        if set(required) <= self.checks_done and self.operators:
            self._record_ready(at)

    def mark_ready(self, checklist: list[str], requester_supplies: list[str], at: datetime) -> None:
        """Jaringan, peralatan, lokasi dan uji coba siap, declared at once."""
        self._refuse_unless_scheduled()
        if self.ready:
            raise DomainRuleBroken("meeting", "peralatan sudah dinyatakan siap", status=409)
        self.require_from_requester(requester_supplies)
        self._record_ready(at, checklist)

    def _record_ready(self, at: datetime, checklist: list[str] | None = None) -> None:
        self.record(
            EquipmentReady(
                request_id=self.id,
                meeting_id=self.meeting_id,
                checklist=checklist or sorted(self.checks_done),
                requester_supplies=self.requester_supplies,
                ready_at=at,
            )
        )
        self._finish_steps(DoneWhen.EQUIPMENT_READY, at)

    def record_started(
        self, at: datetime, source: str, early: timedelta = EARLY_START, zone: tzinfo | None = None
    ) -> None:
        """Operator or provider: whoever tells first; the second telling changes nothing. The provider
        tells what happened; the operator's button is held to the schedule (meeting_day)."""
        if self.meeting_id and self.started_at is None and not self.cancelled:
            if source == "operator":
                check_start(at, *self._scheduled(), early, zone)
            self.record(MeetingStarted(request_id=self.id, meeting_id=self.meeting_id, started_at=at, source=source))

    def record_ended(self, at: datetime, source: str, zone: tzinfo | None = None) -> None:
        if self.meeting_id and self.ended_at is None and not self.cancelled:
            if source == "operator":
                check_end(at, self.started_at, self._scheduled()[1], zone)
            elif self.started_at is None or at <= self.started_at:
                raise DomainRuleBroken("ended_at", "waktu selesai harus setelah waktu mulai")
            self.record(MeetingEnded(request_id=self.id, meeting_id=self.meeting_id, ended_at=at, source=source))

    def record_recording(self, url: str, at: datetime) -> None:
        """Rekaman hanya dengan izin penyelenggara: without permission the link is not kept."""
        if self.recording_permitted and self.recording_url is None and self.meeting_id:
            self.record(
                RecordingCompleted(request_id=self.id, meeting_id=self.meeting_id, recording_url=url, completed_at=at)
            )

    def delete_recording(self, at: datetime, retention_days: int) -> None:
        if self.recording_url and not self.recording_deleted:
            self.record(
                RecordingDeleted(
                    request_id=self.id, meeting_id=self.meeting_id, deleted_at=at, retention_days=retention_days
                )
            )

    def record_held(
        self,
        started_at: datetime | None,
        ended_at: datetime | None,
        attendance: int,
        problems: str = "",
        recording_kept: bool = False,
        at: datetime | None = None,
        **details: Any,
    ) -> None:
        """Laporan pelaksanaan."""
        report = ExecutionReport(
            attendance,
            as_recorded(started_at, self.started_at),
            as_recorded(ended_at, self.ended_at),
            problems=problems,
            recording_kept=recording_kept,
            **details,
        )
        if self.held:
            raise DomainRuleBroken("meeting", "laporan pelaksanaan sudah dibuat", status=409)
        self._refuse_unless_scheduled()
        self._refuse_report_times(report)
        assert report.started_at is not None, "refused above when absent"
        self.record(
            MeetingHeld(
                request_id=self.id,
                meeting_id=self.meeting_id,
                started_at=report.started_at,
                ended_at=report.ended_at,
                attendance=report.attendance,
                problems=report.problems,
                recording_kept=report.recording_kept,
                leading_official=report.leading_official,
                officers_on_duty=report.officers_on_duty or self.operators,
                venue=report.venue,
                held_on=report.held_on or report.started_at.date(),
                recording_url=self.recording_url if report.recording_kept else None,
            )
        )
        self._finish_steps(DoneWhen.MEETING_HELD, at)

    def correct_report(self, report: ExecutionReport, reason: str, by: str, at: datetime) -> None:
        """Laporan diperbaiki: the filed report stays in history; the correction says what it is now."""
        if not self.held or self.report is None:
            raise DomainRuleBroken("meeting", "laporan pelaksanaan rapat ini belum dibuat", status=409)
        if not reason.strip():
            raise DomainRuleBroken("reason", "tuliskan alasan perbaikan laporan")
        previous = self.report
        started = as_recorded(report.started_at, previous.started_at)
        report = ExecutionReport(
            report.attendance,
            started,
            as_recorded(report.ended_at, previous.ended_at),
            report.leading_official,
            report.officers_on_duty or self.operators,
            report.venue,
            report.held_on or (started.date() if started else None),
            report.problems,
            report.recording_kept,
        )
        self._refuse_report_times(report)
        if report == previous:
            raise DomainRuleBroken("reason", "isi laporan sama dengan yang tercatat; tidak ada yang diperbaiki")
        self.record(
            ExecutionReportCorrected(
                request_id=self.id,
                meeting_id=self.meeting_id,
                started_at=report.started_at,
                ended_at=report.ended_at,
                attendance=report.attendance,
                recording_kept=report.recording_kept,
                problems=report.problems,
                leading_official=report.leading_official,
                officers_on_duty=report.officers_on_duty,
                venue=report.venue,
                held_on=report.held_on,
                previous_started_at=previous.started_at,
                previous_attendance=previous.attendance,
                reason=reason.strip(),
                corrected_by=by,
                corrected_at=at,
            )
        )

    def _scheduled(self) -> tuple[datetime, datetime]:
        assert self.starts_at is not None and self.ends_at is not None, "set when the meeting is scheduled"
        return self.starts_at, self.ends_at

    @staticmethod
    def _refuse_report_times(report: ExecutionReport) -> None:
        if report.started_at is None or report.ended_at is None:
            raise DomainRuleBroken("started_at", "waktu mulai dan selesai belum tercatat")
        if report.ended_at <= report.started_at:
            raise DomainRuleBroken("ended_at", "waktu selesai harus setelah waktu mulai")

    def fail(self, reason: str, note: str, by: str | None, at: datetime) -> None:
        """Tidak terlaksana; the caller then releases the bookings and cancels the provider's meeting."""
        closed = (
            "dicatat tidak terlaksana"
            if self.failed
            else "dilaporkan terlaksana"
            if self.held
            else "dibatalkan"
            if self.cancelled
            else None
        )
        if closed:
            raise DomainRuleBroken("meeting", f"rapat sudah {closed}; tidak dapat dicatat tidak terlaksana", status=409)
        self.record(
            MeetingFailed(request_id=self.id, reason=reason, note=note, by=by, failed_at=at, meeting_id=self.meeting_id)
        )

    @property
    def waiting_for_link(self) -> bool:
        """Approved, but no meeting could be made yet (no account free)."""
        return not self.meeting_id and not self.cancelled and not self.failed

    @property
    def link_being_made(self) -> bool:
        """Tautan sedang dibuat: an account is booked, the provider's meeting is asked for but not made yet."""
        return self.booked and not self.meeting_id and not self.failed

    def _finish_steps(self, milestone: DoneWhen, at: datetime | None) -> None:
        if self.plan is None or at is None:
            return
        for timing in self.plan.finished_by(milestone, at, self.steps_finished):
            self.record(DeliveryStepCompleted(request_id=self.id, timing=timing))

    def _refuse_when_closed(self) -> None:
        if self.failed:
            raise DomainRuleBroken("meeting", "rapat sudah dicatat tidak terlaksana", status=409)
        if self.cancelled:
            raise DomainRuleBroken("meeting", "rapat sudah dibatalkan", status=409)
        if self.held:
            raise DomainRuleBroken("meeting", "rapat sudah dilaksanakan", status=409)

    def _refuse_unless_scheduled(self) -> None:
        self._refuse_when_closed()
        if not self.meeting_id:
            raise DomainRuleBroken("request_id", "rapat untuk permohonan ini belum dijadwalkan", status=404)
