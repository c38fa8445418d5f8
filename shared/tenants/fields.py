"""Small value models a tenant profile is built from."""

from datetime import date, datetime, time, timedelta
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from shared.calendar import OpeningHours, Standard, TimeUnit

TenantId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class ProfileModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StandardSpec(ProfileModel):
    """A standar waktu as written in a profile: amount + unit."""

    amount: int = Field(gt=0)
    unit: TimeUnit

    def to_standard(self) -> Standard:
        return Standard(self.amount, self.unit)


class LeadTime(ProfileModel):
    """Batas waktu pengajuan, e.g. Majalengka's H-2.

    `days` are calendar days counted on dates in the tenant's zone, as the
    H-n notation is: with H-2 a request for an event on Thursday must arrive
    on Tuesday at the latest, whatever the hour and whether or not Tuesday
    is a working day. 0 means no lead time is required.
    """

    days: int = Field(ge=0)

    def latest_submission_date(self, event_day: date) -> date:
        return event_day - timedelta(days=self.days)

    def is_met(self, submitted_at: datetime, event_start: datetime) -> bool:
        """Both instants must already be in the tenant's zone."""
        return submitted_at.date() <= self.latest_submission_date(event_start.date())


class OpeningHoursSpec(ProfileModel):
    """One weekday's jam kerja, written as quoted "HH:MM" strings."""

    start: time
    end: time

    @field_validator("start", "end", mode="before")
    @classmethod
    def _quoted_hh_mm(cls, value: Any) -> Any:
        if isinstance(value, str):
            return value
        raise ValueError("write the time in quotes as 'HH:MM' (YAML reads 16:00 unquoted as a number)")

    @model_validator(mode="after")
    def _start_before_end(self) -> "OpeningHoursSpec":
        if self.start.tzinfo or self.end.tzinfo:
            raise ValueError("give wall-clock times without a zone; the zone is time_zone")
        if self.start >= self.end:
            raise ValueError(f"start {self.start:%H:%M} must be before end {self.end:%H:%M}")
        return self

    def to_opening_hours(self) -> OpeningHours:
        return OpeningHours(self.start, self.end)


class RequiredDocument(ProfileModel):
    """A document the requester must supply (persyaratan)."""

    id: Identifier
    name: Text
