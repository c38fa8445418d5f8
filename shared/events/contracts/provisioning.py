from __future__ import annotations

from pydantic import Field

from shared.events.base import Event, register
from shared.events.contracts.common import AwareDatetime


class _ProvisioningEvent(Event):
    context = "provisioning"
    request_id: str
    meeting_id: str


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


@register
class EquipmentReady(_ProvisioningEvent):
    """Network, equipment, venue and trial run are done."""

    name = "equipment.ready"
    checklist: list[str]
    ready_at: AwareDatetime
    requester_supplies: list[str] = Field(default_factory=list)


@register
class MeetingHeld(_ProvisioningEvent):
    """Laporan pelaksanaan: the meeting took place."""

    name = "meeting.held"
    started_at: AwareDatetime
    ended_at: AwareDatetime
    attendance: int = Field(ge=0)
    recording_kept: bool = False
    problems: str = ""
