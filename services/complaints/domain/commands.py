"""What a complainant or an officer sends, validated before anything is stored."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    model_validator,
)
from typing_extensions import Annotated

from shared.domain import DomainRuleBroken
from shared.events.contracts.complaints import ComplaintKind, FeedbackCategory
from shared.tenants.vocabulary import ComplaintChannel

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=5, max_length=4000)]
WHATSAPP_PATTERN = r"^(\+62|62|0)8[0-9]{7,12}$"
WhatsApp = Annotated[str, StringConstraints(strip_whitespace=True, pattern=WHATSAPP_PATTERN)]


class FileComplaint(BaseModel):
    """Pengaduan, saran or apresiasi. `contact` (an email or a WhatsApp number) is the older,
    single-field way to give either."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    category: FeedbackCategory = "complaint"
    summary: Text
    name: str | None = Field(default=None, min_length=2, max_length=120)
    email: EmailStr | None = None
    whatsapp: WhatsApp | None = None
    contact: str | None = Field(default=None, min_length=5, max_length=200)
    anonymous: bool = False
    request_code: str | None = Field(default=None, max_length=20, description="Kode lacak permohonan, jika ada")
    channel: ComplaintChannel = ComplaintChannel.WEB_FORM
    kind: ComplaintKind | None = None
    request_id: str | None = None

    @model_validator(mode="after")
    def _reachable_or_anonymous(self) -> "FileComplaint":
        if self.contact:
            if "@" in self.contact:
                self.email = self.email or _email_in_contact(self.contact)
            elif re.fullmatch(WHATSAPP_PATTERN, self.contact):
                self.whatsapp = self.whatsapp or self.contact
            else:
                raise DomainRuleBroken("contact", "isi alamat email atau nomor WhatsApp, contoh 081234567890")
        if self.anonymous:
            self.name = None
        elif not self.name:
            raise DomainRuleBroken("name", "isi nama, atau pilih tanpa nama (anonim)")
        return self


def _email_in_contact(contact: str) -> str:
    try:
        return TypeAdapter(EmailStr).validate_python(contact)
    except ValidationError:
        raise DomainRuleBroken("contact", "bukan alamat email yang sah") from None


class Classify(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: ComplaintKind


class Assign(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    assignee: str | None = Field(
        default=None, max_length=120, description="ID pengguna anggota tim; kosong untuk seluruh tim penanganan"
    )


class Answer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    answer: Text


class Reopen(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Text


Action = Literal["classify", "assign", "answer", "resolve", "reopen"]
