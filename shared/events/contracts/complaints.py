"""Pengaduan, saran dan apresiasi: received, classified, handed to the team, answered, closed,
reopened. The complainant's name, contact, words and the answer's text stay in the complaints
service's erasable store; an event holds only a reference to them."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from shared.events.base import Event, register, upcaster
from shared.events.contracts.common import AwareDatetime, StepTiming
from shared.tenants.vocabulary import ComplaintChannel

ComplaintKind = Literal["light", "normative", "not_supervisory", "supervisory"]
FeedbackCategory = Literal["complaint", "suggestion", "appreciation"]


class _ComplaintEvent(Event):
    context = "complaints"
    complaint_id: str


@register
class ComplaintReceivedV1(_ComplaintEvent):
    """v1 was classified at receipt and knew only complaints; kept so old history reads."""

    name = "complaint.received"
    version = 1
    kind: str
    channel: ComplaintChannel
    request_id: str | None = None
    complainant_ref: str
    received_at: AwareDatetime
    due_at: AwareDatetime


@register
class ComplaintReceived(_ComplaintEvent):
    """Pengaduan, saran or apresiasi received by the complaints officer (Pejabat Pengelola
    Pengaduan). A complaint recorded by an officer may be classified at once (`kind`, `due_at`);
    one from the public page is classified later (`complaint.classified`)."""

    name = "complaint.received"
    version = 2
    tracking_code: str = Field(description="Kode lacak for the public tracking page; internal only.")
    category: FeedbackCategory = "complaint"
    kind: ComplaintKind | None = None
    channel: ComplaintChannel
    request_id: str | None = None
    complainant_ref: str
    anonymous: bool = False
    with_attachment: bool = False
    received_at: AwareDatetime
    due_at: AwareDatetime | None = None
    recorded_by: str | None = Field(
        default=None, description="User id of the officer who recorded it; absent for the public page."
    )


@upcaster("complaint.received", from_version=1)
def _received_v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    return data | {"tracking_code": "", "category": "complaint", "anonymous": False, "with_attachment": False}


@register
class ComplaintClassified(_ComplaintEvent):
    """The officer sets the kind, which sets the deadline in working days from receipt."""

    name = "complaint.classified"
    kind: ComplaintKind
    due_at: AwareDatetime
    classified_by: str
    classified_at: AwareDatetime


@register
class ComplaintAssigned(_ComplaintEvent):
    """Handed to the handling team: one member, or the team as a whole (`assignee` absent)."""

    name = "complaint.assigned"
    assignee: str | None = None
    assigned_by: str
    assigned_at: AwareDatetime


@register
class ComplaintAnswered(_ComplaintEvent):
    """The answer went to the complainant; its text is in the erasable store under `answer_ref`."""

    name = "complaint.answered"
    answer_ref: str
    answered_by: str
    answered_at: AwareDatetime


@register
class ComplaintResolved(_ComplaintEvent):
    """Closed (selesai). `timing` runs from receipt, or from the last reopening, to the closing,
    against the deadline of the complaint's kind."""

    name = "complaint.resolved"
    timing: StepTiming
    resolved_by: str | None = None
    """User id of the complaints officer (absent on events from before login existed)."""


@register
class ComplaintReopened(_ComplaintEvent):
    """The complainant says the answer does not settle it: handling starts again with a new
    deadline of the same kind from now."""

    name = "complaint.reopened"
    reopened_at: AwareDatetime
    due_at: AwareDatetime
    reopened_by: str | None = Field(
        default=None,
        description="The officer who recorded it; absent when the complainant reopened it on the tracking page.",
    )
