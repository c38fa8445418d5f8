from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import Field

from shared.events.base import Event, register, upcaster
from shared.events.contracts.common import AwareDatetime
from shared.tenants.vocabulary import RequestChannel


class _IntakeEvent(Event):
    context = "intake"
    request_id: str


@register
class RequestSubmittedV1(_IntakeEvent):
    """v1 knew no channel and called the submission time `received_at`; kept so old history reads."""

    name = "request.submitted"
    version = 1
    tracking_code: str
    agency: str
    event_name: str
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    online_only: bool
    venue: str | None = None
    contact_ref: str
    received_at: AwareDatetime


@register
class RequestSubmitted(_IntakeEvent):
    """Permohonan: an agency (OPD) asks for a facilitated meeting."""

    name = "request.submitted"
    version = 2
    tracking_code: str
    agency: str
    event_name: str
    agenda: str = ""
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    online_only: bool
    venue: str | None = None
    letter_number: str | None = None
    letter_date: date | None = None
    letter_ref: str | None = None
    expected_participants: int | None = Field(default=None, ge=1)
    special_needs: list[str] = Field(default_factory=list)
    channel: RequestChannel
    contact_ref: str
    submitted_at: AwareDatetime
    leading_official_position: str | None = Field(
        default=None,
        description="The office (jabatan) of the official who leads it; the name stays "
        "in intake's personal-data store under contact_ref.",
    )
    speaker_count: int = Field(default=0, ge=0, description="Narasumber: how many; names stay in intake.")
    participant_list_ref: str | None = Field(
        default=None, description="Daftar peserta: a reference into intake's document store, never the list."
    )
    document_refs: dict[str, str] = Field(
        default_factory=dict, description="Required documents by the tenant's document id -> document reference."
    )
    equipment: list[str] = Field(default_factory=list, description="Equipment asked for at the venue.")


@upcaster("request.submitted", from_version=1)
def _submitted_v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    upcast = {key: value for key, value in data.items() if key != "received_at"}
    return upcast | {"channel": "web_form", "submitted_at": data["received_at"]}


@register
class RequestAmended(_IntakeEvent):
    """The requester corrects the request before verification (or after it was returned).

    `changes` holds the new values of the fields that changed; a changed personal field
    (contact, leading official's name, speakers) appears only by name, with no value.
    """

    name = "request.amended"
    changes: dict[str, object]
    amended_at: AwareDatetime


@register
class RequestRescheduled(_IntakeEvent):
    """The requester moves the meeting; approval takes the request through its steps again."""

    name = "request.rescheduled"
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    previous_starts_at: AwareDatetime
    previous_ends_at: AwareDatetime
    reason: str = ""
    rescheduled_at: AwareDatetime


@register
class RequestWithdrawn(_IntakeEvent):
    """The requester withdraws the request (any time before the meeting)."""

    name = "request.withdrawn"
    reason: str = ""
    withdrawn_at: AwareDatetime
