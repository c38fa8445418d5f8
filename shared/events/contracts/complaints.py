from __future__ import annotations

from typing import Literal

from shared.events.base import Event, register
from shared.events.contracts.common import AwareDatetime, StepTiming

ComplaintChannel = Literal[
    "face_to_face", "complaint_box", "whatsapp", "text_message", "phone", "email", "social_media",
    "web_form",
]


class _ComplaintEvent(Event):
    context = "complaints"
    complaint_id: str


@register
class ComplaintReceived(_ComplaintEvent):
    """Pengaduan: received by the complaints officer."""

    name = "complaint.received"
    kind: str
    channel: ComplaintChannel
    request_id: str | None = None
    complainant_ref: str
    received_at: AwareDatetime
    due_at: AwareDatetime


@register
class ComplaintResolved(_ComplaintEvent):
    """The complainant received the answer and the complaint is closed."""

    name = "complaint.resolved"
    timing: StepTiming
    resolved_by: str | None = None
    """User id of the complaints officer (absent on events from before login existed)."""
