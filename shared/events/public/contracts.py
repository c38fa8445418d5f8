"""One model per public event type and version: what another agency may know, nothing more.

No personal data, no user ids, no host accounts, join links or passcodes, no references into
personal-data stores, no free text an official or a citizen wrote. Identifiers: the request id
and the complaint id; not the tracking code, which opens the requester's status page.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

PUBLIC_EVENTS: dict[tuple[str, int], type["PublicEvent"]] = {}


class PublicEvent(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: ClassVar[str]
    version: ClassVar[int] = 1


def public(model: type[PublicEvent]) -> type[PublicEvent]:
    PUBLIC_EVENTS[(model.name, model.version)] = model
    return model


class Timing(BaseModel):
    """How one step of the department's SOP went against its service-time standard (working time)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    step: str
    started_at: AwareDatetime
    due_at: AwareDatetime
    finished_at: AwareDatetime
    met_standard: bool


@public
class RequestSubmitted(PublicEvent):
    """An agency asked for a facilitated video conference."""

    name = "request.submitted"
    request_id: str
    agency: str
    event_name: str
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    online_only: bool
    channel: str
    submitted_at: AwareDatetime


@public
class RequestWithdrawn(PublicEvent):
    """The requesting agency withdrew its request."""

    name = "request.withdrawn"
    request_id: str
    withdrawn_at: AwareDatetime


@public
class RequestDisposed(PublicEvent):
    """Disposisi: an official passed the request on to the next step of the chain."""

    name = "request.disposed"
    request_id: str
    timing: Timing
    to_step: str


@public
class RequestApproved(PublicEvent):
    name = "request.approved"
    request_id: str
    timing: Timing


@public
class RequestRejected(PublicEvent):
    name = "request.rejected"
    request_id: str
    timing: Timing


@public
class MeetingScheduled(PublicEvent):
    """The meeting exists on the platform; its link goes to the requester only."""

    name = "meeting.scheduled"
    request_id: str
    platform: str
    starts_at: AwareDatetime
    ends_at: AwareDatetime


@public
class EquipmentReady(PublicEvent):
    name = "equipment.ready"
    request_id: str
    ready_at: AwareDatetime


@public
class MeetingHeld(PublicEvent):
    name = "meeting.held"
    request_id: str
    started_at: AwareDatetime
    ended_at: AwareDatetime
    attendance: int = Field(ge=0)


@public
class ComplaintReceived(PublicEvent):
    """A complaint, suggestion or appreciation about the service (never who sent it or what it says)."""

    name = "complaint.received"
    complaint_id: str
    category: Literal["complaint", "suggestion", "appreciation"]
    channel: str
    received_at: AwareDatetime


@public
class ComplaintResolved(PublicEvent):
    name = "complaint.resolved"
    complaint_id: str
    timing: Timing


@public
class EvaluationPublished(PublicEvent):
    """The department published its evaluation of a month, quarter or year: the service's figures."""

    name = "evaluation.published"
    period_kind: Literal["month", "quarter", "year"]
    period: str = Field(description="YYYY-MM, YYYY-Qn or YYYY.")
    published_at: AwareDatetime
    requests: int = Field(ge=0)
    held: int = Field(ge=0)
    steps_within_standard_percent: float | None = Field(default=None, ge=0, le=100)
    satisfaction_index: float | None = Field(default=None, description="IKM, 25-100, when surveyed.")
    complaints: int = Field(ge=0)


def type_of(model: type[PublicEvent]) -> str:
    return f"id.go.vidcon.public.{model.name}.v{model.version}"
