"""What the technical team sends: JSON bodies of the API, and the report the page's form becomes."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Crew(_Body):
    operators: list[str] = Field(default_factory=list, description="User ids of the operators on duty.")
    kit_id: str | None = None
    venue_id: str | None = None


class Retry(_Body):
    account_id: str | None = None


class Check(_Body):
    note: str = Field(default="", max_length=1000)


class Readiness(_Body):
    checklist: list[str] = Field(min_length=1)
    requester_supplies: list[str] = Field(default_factory=list)


class Moment(_Body):
    at: AwareDatetime | None = None


class Failure(_Body):
    """Tidak terlaksana: why the meeting did not happen as planned."""

    reason: Literal["no_link_in_time", "equipment_missing", "not_held"]
    note: str = Field(default="", max_length=1000)


class ExecutionReport(_Body):
    """Laporan pelaksanaan."""

    started_at: AwareDatetime | None = None
    ended_at: AwareDatetime | None = None
    attendance: int = Field(ge=0)
    problems: str = Field(default="", max_length=2000)
    recording_kept: bool = False
    leading_official: str | None = Field(default=None, max_length=200, description="Jabatan, not a name.")
    officers_on_duty: list[str] = Field(default_factory=list, description="User ids.")
    venue: str | None = Field(default=None, max_length=200)
    held_on: date | None = None
