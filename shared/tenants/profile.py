"""TenantProfile: one department's SOP as data."""

import hashlib
import json
from datetime import date, datetime

from typing import Annotated, Any, Literal

from pydantic import Field, PrivateAttr, StringConstraints, field_validator, model_validator

from shared.calendar import Weekday, WorkingCalendar
from shared.calendar.instants import zone_named

from .fields import (
    Identifier,
    LeadTime,
    OpeningHoursSpec,
    ProfileModel,
    RequiredDocument,
    StandardSpec,
    TenantId,
    Text,
)
from .steps import ApprovalStep, DeliveryStep
from .vocabulary import ComplaintChannel, EvaluationPeriod, RequestChannel


class WeeklyHours(ProfileModel):
    """Jam kerja per weekday; a weekday left out is not a working day."""

    monday: OpeningHoursSpec | None = None
    tuesday: OpeningHoursSpec | None = None
    wednesday: OpeningHoursSpec | None = None
    thursday: OpeningHoursSpec | None = None
    friday: OpeningHoursSpec | None = None
    saturday: OpeningHoursSpec | None = None
    sunday: OpeningHoursSpec | None = None

    @model_validator(mode="after")
    def _some_day_open(self) -> "WeeklyHours":
        if not self.by_weekday():
            raise ValueError("at least one weekday needs working hours")
        return self

    def by_weekday(self) -> dict[Weekday, OpeningHoursSpec]:
        days = {Weekday[name.upper()]: getattr(self, name) for name in type(self).model_fields}
        return {day: hours for day, hours in days.items() if hours is not None}


class ComplaintDeadlines(ProfileModel):
    """Jangka waktu penyelesaian pengaduan, by kind of complaint."""

    light: StandardSpec  # pengaduan ringan
    normative: StandardSpec  # pengaduan bersifat normatif
    not_supervisory: StandardSpec  # tidak berkadar pengawasan
    supervisory: StandardSpec  # berkadar pengawasan dan memerlukan pemeriksaan


class NotificationSettings(ProfileModel):
    """Pemberitahuan to the requester's contact person; every key is optional.

    The WhatsApp gateway (Fonnte-style `POST /send`) defaults to the deployment's
    WHATSAPP_GATEWAY_URL; its token is read from the environment variable named here,
    never written in the profile.
    """

    email: bool = True
    whatsapp: bool = True
    email_from: Text | None = None
    whatsapp_gateway_url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    whatsapp_token_env: Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9_]*$")] | None = None


class TenantProfile(ProfileModel):
    """A department (tenant) and the rules of its video conference SOP."""

    id: TenantId
    name: Text
    service_unit: Text
    time_zone: str
    working_hours: WeeklyHours
    closed_dates: list[date] = []
    lead_time: LeadTime
    service_standard: StandardSpec
    service_standard_ends: Literal["decision", "meeting_scheduled", "equipment_ready"] = "meeting_scheduled"
    """Where the whole SOP's standard stops counting (it starts at receipt)."""
    channels: list[RequestChannel] = Field(min_length=1)
    required_documents: list[RequiredDocument]
    required_fields: list[Identifier]
    approval_steps: list[ApprovalStep] = Field(min_length=1)
    delivery_steps: list[DeliveryStep] = []
    complaint_channels: list[ComplaintChannel] = Field(min_length=1)
    """Where an officer may record a complaint from; the public web form is open to every tenant besides."""
    complaint_deadlines: ComplaintDeadlines
    evaluation_period: EvaluationPeriod
    equipment: list[Text]
    staff_count: int = Field(gt=0)
    report_signatory: Text | None = None
    """Jabatan of the official who signs the recap and evaluation; by default the service unit's head."""
    notifications: NotificationSettings = NotificationSettings()

    _calendar: WorkingCalendar | None = PrivateAttr(default=None)
    _version: str | None = PrivateAttr(default=None)

    @field_validator("time_zone")
    @classmethod
    def _iana_zone(cls, name: str) -> str:
        zone_named(name)
        return name

    def calendar(self) -> WorkingCalendar:
        """The tenant's kalender kerja, built once."""
        if self._calendar is None:
            self._calendar = WorkingCalendar(
                self.time_zone,
                {day: spec.to_opening_hours() for day, spec in self.working_hours.by_weekday().items()},
                extra_closed_dates=self.closed_dates,
            )
        return self._calendar

    def version(self) -> str:
        """A hash of the content: an edited SOP is a new version; the same SOP re-commented or reordered is not."""
        if self._version is None:
            self._version = version_of(self.body())
        return self._version

    def body(self) -> dict[str, Any]:
        """The profile as JSON, to keep a version and read it back with `model_validate`."""
        return self.model_dump(mode="json")

    def signatory(self) -> str:
        if self.report_signatory:
            return self.report_signatory
        return f"{'Kepala' if self.service_unit.startswith('Bidang') else 'Ketua'} {self.service_unit}"

    def meets_lead_time(self, submitted_at: datetime, event_start: datetime) -> bool:
        """Whether a request submitted at `submitted_at` respects the lead time (H-n)."""
        local = self.calendar().local
        return self.lead_time.is_met(local(submitted_at), local(event_start))


def version_of(body: dict[str, Any]) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()[:12]
