"""What a requester asks intake to do, validated before anything is stored."""
from __future__ import annotations

from datetime import date, datetime

from pydantic import (
    AwareDatetime, BaseModel, ConfigDict, EmailStr, Field, ValidationInfo, field_validator,
)

from shared.events.contracts.intake import Channel


class Contact(BaseModel):
    """Kontak person: personal data, kept only in intake's erasable store."""

    name: str = Field(min_length=3, max_length=120)
    whatsapp: str = Field(pattern=r"^(\+62|62|0)8[0-9]{7,12}$", description="Nomor WhatsApp, contoh 081234567890")
    email: EmailStr


class SubmitRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    agency: str = Field(min_length=3, max_length=200)
    contact: Contact
    event_name: str = Field(min_length=3, max_length=200)
    agenda: str = Field(default="", max_length=2000)
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    online_only: bool = True
    venue: str | None = Field(default=None, max_length=200, validate_default=True)
    letter_number: str | None = Field(default=None, max_length=100)
    letter_date: date | None = None
    expected_participants: int | None = Field(default=None, ge=1, le=100000)
    special_needs: list[str] = Field(default_factory=list)
    channel: Channel = "web_form"

    @field_validator("ends_at")
    @classmethod
    def _after_start(cls, ends_at: datetime, info: ValidationInfo) -> datetime:
        starts_at = info.data.get("starts_at")
        if starts_at and ends_at <= starts_at:
            raise ValueError("waktu selesai harus setelah waktu mulai (starts_at)")
        return ends_at

    @field_validator("venue")
    @classmethod
    def _venue_when_on_site(cls, venue: str | None, info: ValidationInfo) -> str | None:
        if not info.data.get("online_only", True) and not venue:
            raise ValueError("lokasi wajib diisi bila acara tidak hanya daring")
        return venue


class WithdrawRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(default="", max_length=500)
