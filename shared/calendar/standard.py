"""Standar waktu pelayanan: how long a step may take, and whether it kept to it."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class TimeUnit(StrEnum):
    """Unit of a service-time standard.

    MINUTES and HOURS count working time only (jam kerja on hari kerja);
    WORKING_DAYS counts hari kerja; CALENDAR_HOURS counts clock hours,
    nights, weekends and holidays included (Gorontalo's "24 jam").
    """

    MINUTES = "minutes"
    HOURS = "hours"
    WORKING_DAYS = "working_days"
    CALENDAR_HOURS = "calendar_hours"

    @property
    def counts_working_time(self) -> bool:
        return self is not TimeUnit.CALENDAR_HOURS


@dataclass(frozen=True)
class Standard:
    """A service-time standard: `amount` of `unit`, e.g. 60 working minutes."""

    amount: int
    unit: TimeUnit

    def __post_init__(self) -> None:
        object.__setattr__(self, "unit", TimeUnit(self.unit))
        if isinstance(self.amount, bool) or not isinstance(self.amount, int):
            raise TypeError(f"standard amount must be a whole number, got {self.amount!r}")
        if self.amount <= 0:
            raise ValueError(f"standard amount must be > 0, got {self.amount}")

    def __str__(self) -> str:
        return f"{self.amount} {self.unit.value}"


@dataclass(frozen=True)
class StepAssessment:
    """Whether a step finished within its standard, and by how much.

    `margin_minutes` is positive when the step finished early and negative
    when late. It is measured in working minutes for working-time standards
    and in clock minutes for CALENDAR_HOURS. For a working-time standard a
    step finished after the due instant but before any further working time
    passed (e.g. after closing on the due day) is late by 0 minutes and met.
    """

    started: datetime
    finished: datetime
    due: datetime
    standard: Standard
    margin_minutes: float

    @property
    def met(self) -> bool:
        return self.margin_minutes >= 0

    @property
    def minutes_early(self) -> float:
        return max(self.margin_minutes, 0.0)

    @property
    def minutes_late(self) -> float:
        return max(-self.margin_minutes, 0.0)
