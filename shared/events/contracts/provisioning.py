"""Provisioning's facts. People appear only as user ids; the leading official by office (jabatan)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.events.base import Event, register
from shared.events.contracts.common import AwareDatetime, StepTiming

Source = Literal["operator", "provider"]


class _ProvisioningEvent(Event):
    context = "provisioning"
    request_id: str
    meeting_id: str


class _BookingEvent(Event):
    context = "provisioning"
    request_id: str


class FreeAlternative(BaseModel):
    """A resource that is free, and from when, near the time asked for."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    resource_id: str
    free_from: AwareDatetime


@register
class ResourcesBooked(_BookingEvent):
    """A host account (and operators, kit, venue when known) held for the meeting and its buffers."""

    name = "resources.booked"
    account_id: str
    operators: list[str] = Field(default_factory=list, description="User ids of the operators.")
    kit_id: str | None = None
    venue_id: str | None = None
    booked_from: AwareDatetime
    booked_until: AwareDatetime


@register
class HostAccountUnavailable(_BookingEvent):
    """No licensed host account is free for the meeting's time: what conflicts, what is near."""

    name = "host_account.unavailable"
    booked_from: AwareDatetime
    booked_until: AwareDatetime
    conflicting_accounts: list[str]
    alternatives: list[FreeAlternative] = Field(default_factory=list)


@register
class ResourcesReleased(_BookingEvent):
    """The meeting's bookings are given back (withdrawal, or before a re-booking)."""

    name = "resources.released"
    reason: str


@register
class MeetingScheduled(_ProvisioningEvent):
    """A meeting exists on a licensed host account. Join details stay on the internal stream."""

    name = "meeting.scheduled"
    provider: str
    host_account: str
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    join_url: str
    passcode: str
    recording: bool = Field(default=False, description="Cloud recording, asked for and permitted by the organiser.")


@register
class LiveStreamConfigured(_ProvisioningEvent):
    """The provider pushes the meeting to the department's channel (the stream key stays a secret)."""

    name = "live_stream.configured"
    page_url: str = Field(description="The public watch page (for example the YouTube live page).")


@register
class LiveStreamUnavailable(_ProvisioningEvent):
    """Streaming was asked for but could not be set up; the meeting itself is scheduled."""

    name = "live_stream.unavailable"
    problem: Literal["not_configured", "provider_refused"]
    reason: str = Field(description="Why, in Bahasa Indonesia, for the technical team.")


@register
class MeetingRescheduled(_ProvisioningEvent):
    """The provider's meeting moved to the new time (same link, same passcode)."""

    name = "meeting.rescheduled"
    starts_at: AwareDatetime
    ends_at: AwareDatetime


@register
class MeetingCancelled(_ProvisioningEvent):
    """The provider's meeting was deleted and its bookings released."""

    name = "meeting.cancelled"
    reason: str


@register
class RequesterToBringEquipment(_BookingEvent):
    """Gorontalo's rule: what the department cannot supply, the requester must bring."""

    name = "equipment.requester_to_bring"
    items: list[str]


@register
class ReadinessCheckDone(_ProvisioningEvent):
    """One readiness check: network team, equipment, venue or trial run."""

    name = "readiness.check_done"
    check: Literal["network", "equipment", "venue", "trial_run"]
    by: str = Field(description="User id of the officer.")
    note: str = ""
    done_at: AwareDatetime


@register
class EquipmentReady(_ProvisioningEvent):
    """Network, equipment, venue and trial run are done."""

    name = "equipment.ready"
    checklist: list[str]
    ready_at: AwareDatetime
    requester_supplies: list[str] = Field(default_factory=list)


@register
class MeetingStarted(_ProvisioningEvent):
    name = "meeting.started"
    started_at: AwareDatetime
    source: Source


@register
class MeetingEnded(_ProvisioningEvent):
    name = "meeting.ended"
    ended_at: AwareDatetime
    source: Source


@register
class RecordingCompleted(_ProvisioningEvent):
    """The provider finished a recording the organiser permitted."""

    name = "recording.completed"
    recording_url: str
    completed_at: AwareDatetime


class _Report(_ProvisioningEvent):
    """What an execution report states."""

    started_at: AwareDatetime
    ended_at: AwareDatetime
    attendance: int = Field(ge=0)
    recording_kept: bool = False
    problems: str = ""
    leading_official: str | None = Field(default=None, description="Office (jabatan), not a name.")
    officers_on_duty: list[str] = Field(default_factory=list, description="User ids.")
    venue: str | None = None
    held_on: date | None = None


@register
class MeetingHeld(_Report):
    """Laporan pelaksanaan: the meeting took place."""

    name = "meeting.held"
    recording_url: str | None = None


@register
class ExecutionReportCorrected(_Report):
    """Laporan pelaksanaan diperbaiki: the whole report as it now stands, and the start and
    attendance it replaces (so a recap moves the meeting and its participants without a lookup)."""

    name = "execution_report.corrected"
    previous_started_at: AwareDatetime
    previous_attendance: int = Field(ge=0)
    reason: str = Field(min_length=1, max_length=1000)
    corrected_by: str = Field(description="User id.")
    corrected_at: AwareDatetime


@register
class RecordingDeleted(_ProvisioningEvent):
    """The tenant's retention period passed; the provider's recording is gone."""

    name = "recording.deleted"
    deleted_at: AwareDatetime
    retention_days: int


@register
class MeetingFailed(_BookingEvent):
    """Tidak terlaksana: the approved meeting did not happen as planned, and why."""

    name = "meeting.failed"
    reason: Literal["no_link_in_time", "equipment_missing", "not_held"]
    note: str = ""
    by: str | None = Field(default=None, description="User id of the officer; None when the system found it.")
    failed_at: AwareDatetime
    meeting_id: str | None = None


@register
class DeliveryStepCompleted(_BookingEvent):
    """A delivery step of the tenant's SOP finished; how it went against its standard."""

    name = "delivery_step.completed"
    timing: StepTiming
