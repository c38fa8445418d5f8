"""What a requester asks intake to do, validated before anything is stored."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError
from typing_extensions import Annotated

from shared.tenants.vocabulary import RequestChannel

SpecialNeed = Literal["breakout_rooms", "recording", "live_streaming", "polling", "equipment"]
DocumentId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
DocumentRef = Annotated[
    str, StringConstraints(pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=120)]


class Contact(BaseModel):
    """Kontak person: personal data, kept only in intake's erasable store.

    A person is reachable by WhatsApp or by email: one of the two is enough (an empty one is absent).
    """

    model_config = ConfigDict(extra="forbid")

    name: Name
    whatsapp: str | None = Field(
        default=None, pattern=r"^(\+62|62|0)8[0-9]{7,12}$", description="Nomor WhatsApp, contoh 081234567890"
    )
    email: EmailStr | None = Field(default=None, validate_default=True)

    @field_validator("whatsapp", "email", mode="before")
    @classmethod
    def _empty_is_absent(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("email", mode="after")
    @classmethod
    def _reachable(cls, email: str | None, info: ValidationInfo) -> str | None:
        if email is None and info.data.get("whatsapp", "invalid") is None:
            raise PydanticCustomError("contact_channel", "isi nomor WhatsApp atau email kontak person (salah satu)")
        return email


class LeadingOfficial(BaseModel):
    """Pejabat yang memimpin: the name is personal data; the office (jabatan) is not."""

    model_config = ConfigDict(extra="forbid")

    name: Name
    position: str = Field(min_length=3, max_length=160, description="Jabatan, contoh: Sekretaris Daerah")


class Speaker(BaseModel):
    """Narasumber: personal data, kept only in intake's erasable store."""

    model_config = ConfigDict(extra="forbid")

    name: Name
    institution: str = Field(default="", max_length=200)


class RequestDetails(BaseModel):
    """What may be corrected by amending: everything but the schedule and the channel."""

    model_config = ConfigDict(extra="forbid")

    agency: str = Field(min_length=3, max_length=200)
    contact: Contact
    event_name: str = Field(min_length=3, max_length=200)
    agenda: str = Field(default="", max_length=2000)
    online_only: bool = True
    venue: str | None = Field(default=None, max_length=200, validate_default=True)
    letter_number: str | None = Field(default=None, max_length=100)
    letter_date: date | None = None
    leading_official: LeadingOfficial | None = None
    speakers: list[Speaker] = Field(default_factory=list, max_length=30)
    expected_participants: int | None = Field(default=None, ge=1, le=100000)
    special_needs: list[SpecialNeed] | None = Field(
        default=None, description="Kebutuhan khusus; [] means none, absent means not answered."
    )
    equipment: list[Annotated[str, StringConstraints(min_length=2, max_length=100)]] = Field(
        default_factory=list, max_length=30
    )
    documents: dict[DocumentId, DocumentRef] = Field(
        default_factory=dict,
        max_length=10,
        description="Uploaded documents by kind (request_letter, request_form, participant_list): "
        "the document_ref from POST /api/{tenant}/documents.",
    )

    @field_validator("venue")
    @classmethod
    def _venue_when_on_site(cls, venue: str | None, info: ValidationInfo) -> str | None:
        if not info.data.get("online_only", True) and not venue:
            raise ValueError("lokasi wajib diisi bila acara tidak hanya daring")
        return venue


class SubmitRequest(RequestDetails):
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    channel: RequestChannel = RequestChannel.WEB_FORM

    @field_validator("ends_at")
    @classmethod
    def _after_start(cls, ends_at: datetime, info: ValidationInfo) -> datetime:
        return end_after_start(ends_at, info)


class AmendRequest(BaseModel):
    """Only the fields given change; see RequestDetails for each one."""

    model_config = ConfigDict(extra="forbid")

    agency: str | None = Field(default=None, min_length=3, max_length=200)
    contact: Contact | None = None
    event_name: str | None = Field(default=None, min_length=3, max_length=200)
    agenda: str | None = Field(default=None, max_length=2000)
    online_only: bool | None = None
    venue: str | None = Field(default=None, max_length=200)
    letter_number: str | None = Field(default=None, max_length=100)
    letter_date: date | None = None
    leading_official: LeadingOfficial | None = None
    speakers: list[Speaker] | None = Field(default=None, max_length=30)
    expected_participants: int | None = Field(default=None, ge=1, le=100000)
    special_needs: list[SpecialNeed] | None = None
    equipment: list[Annotated[str, StringConstraints(min_length=2, max_length=100)]] | None = Field(
        default=None, max_length=30
    )
    documents: dict[DocumentId, DocumentRef] | None = Field(default=None, max_length=10)


class RescheduleRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    starts_at: AwareDatetime
    ends_at: AwareDatetime
    reason: str = Field(default="", max_length=500)

    @field_validator("ends_at")
    @classmethod
    def _after_start(cls, ends_at: datetime, info: ValidationInfo) -> datetime:
        return end_after_start(ends_at, info)


class WithdrawRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(default="", max_length=500)


def end_after_start(ends_at: datetime, info: ValidationInfo) -> datetime:
    starts_at = info.data.get("starts_at")
    if starts_at and ends_at <= starts_at:
        raise ValueError("waktu selesai harus setelah waktu mulai (starts_at)")
    return ends_at
