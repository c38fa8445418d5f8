"""The meeting's state, rebuilt from its facts (one `when_` per event)."""

from __future__ import annotations

from typing import Any
from datetime import datetime

from provisioning.domain.delivery import DeliveryPlan
from provisioning.domain.report import ExecutionReport
from provisioning.domain.resources import Window
from shared.events.contracts.provisioning import (
    DeliveryStepCompleted,
    EquipmentReady,
    ExecutionReportCorrected,
    HostAccountUnavailable,
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


class MeetingFacts:
    def __init__(self, id: str, tenant: str):
        super().__init__(id, tenant)  # type: ignore[call-arg]  # the Aggregate it is mixed into
        self.account_id: str | None = None
        self.window: Window | None = None
        self.operators: list[str] = []
        self.kit_id: str | None = None
        self.venue_id: str | None = None
        self.meeting_id: str | None = None
        self.provider: str | None = None
        self.join_url: str | None = None
        self.starts_at: datetime | None = None
        self.ends_at: datetime | None = None
        self.recording_permitted = False
        self.requester_supplies: list[str] = []
        self.checks_done: set[str] = set()
        self.check_records: dict[str, tuple[str, datetime]] = {}
        self.ready = self.held = self.cancelled = self.recording_deleted = False
        self.started_at: datetime | None = None
        self.ended_at: datetime | None = None
        self.recording_url: str | None = None
        self.live_stream_page_url: str | None = None
        self.live_stream_problem: str | None = None
        self.failed: tuple[str, str] | None = None
        self.report: ExecutionReport | None = None
        self.corrections: list[Any] = []
        self.steps_finished: dict[str, datetime] = {}
        self.plan: DeliveryPlan | None = None

    @property
    def booked(self) -> bool:
        return self.account_id is not None and not self.cancelled

    @property
    def closed(self) -> bool:
        """Tidak terlaksana, dibatalkan or dilaksanakan: nothing more is set up for it."""
        return bool(self.failed) or self.cancelled or self.held

    def when_resources_booked(self, event: ResourcesBooked) -> None:
        self.account_id, self.operators = event.account_id, event.operators
        self.kit_id, self.venue_id = event.kit_id, event.venue_id
        self.window = Window(event.booked_from, event.booked_until)

    def when_host_account_unavailable(self, event: HostAccountUnavailable) -> None:
        self.account_id = None

    def when_resources_released(self, event: ResourcesReleased) -> None:
        self.account_id, self.window, self.cancelled = None, None, True

    def when_meeting_scheduled(self, event: MeetingScheduled) -> None:
        self.meeting_id, self.provider, self.join_url = event.meeting_id, event.provider, event.join_url
        self.starts_at, self.ends_at = event.starts_at, event.ends_at
        self.recording_permitted = event.recording

    def when_live_stream_configured(self, event: LiveStreamConfigured) -> None:
        self.live_stream_page_url, self.live_stream_problem = event.page_url, None

    def when_live_stream_unavailable(self, event: LiveStreamUnavailable) -> None:
        self.live_stream_page_url, self.live_stream_problem = None, event.reason

    def when_meeting_rescheduled(self, event: MeetingRescheduled) -> None:
        self.starts_at, self.ends_at = event.starts_at, event.ends_at

    def when_meeting_cancelled(self, event: MeetingCancelled) -> None:
        self.cancelled, self.account_id, self.window = True, None, None

    def when_equipment_requester_to_bring(self, event: RequesterToBringEquipment) -> None:
        self.requester_supplies = event.items

    def when_readiness_check_done(self, event: ReadinessCheckDone) -> None:
        self.checks_done.add(event.check)
        self.check_records[event.check] = (event.by, event.done_at)

    def when_equipment_ready(self, event: EquipmentReady) -> None:
        self.ready = True

    def when_meeting_started(self, event: MeetingStarted) -> None:
        self.started_at = event.started_at

    def when_meeting_ended(self, event: MeetingEnded) -> None:
        self.ended_at = event.ended_at

    def when_recording_completed(self, event: RecordingCompleted) -> None:
        self.recording_url = event.recording_url

    def when_meeting_held(self, event: MeetingHeld) -> None:
        self.held = True
        self.report = report_of(event)

    def when_execution_report_corrected(self, event: ExecutionReportCorrected) -> None:
        self.report = report_of(event)
        self.corrections.append(event)

    def when_recording_deleted(self, event: RecordingDeleted) -> None:
        self.recording_deleted = True

    def when_meeting_failed(self, event: MeetingFailed) -> None:
        self.failed = (event.reason, event.note)

    def when_delivery_step_completed(self, event: DeliveryStepCompleted) -> None:
        self.steps_finished[event.timing.step] = event.timing.finished_at


def report_of(event: MeetingHeld | ExecutionReportCorrected) -> ExecutionReport:
    """The report a held or corrected event states."""
    return ExecutionReport(
        event.attendance,
        event.started_at,
        event.ended_at,
        event.leading_official,
        list(event.officers_on_duty),
        event.venue,
        event.held_on,
        event.problems,
        event.recording_kept,
    )
