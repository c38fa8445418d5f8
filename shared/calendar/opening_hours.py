"""Jam kerja: the hours a tenant is open on each day of the week."""

from dataclasses import dataclass
from datetime import date, time
from enum import IntEnum


class Weekday(IntEnum):
    """Day of the week, numbered as `date.weekday()` numbers it."""

    MONDAY = 0
    TUESDAY = 1
    WEDNESDAY = 2
    THURSDAY = 3
    FRIDAY = 4
    SATURDAY = 5
    SUNDAY = 6

    @classmethod
    def of(cls, day: date) -> "Weekday":
        return cls(day.weekday())


@dataclass(frozen=True)
class OpeningHours:
    """One day's jam kerja: open from `start` (inclusive) until `end` (exclusive)."""

    start: time
    end: time

    def __post_init__(self) -> None:
        if self.start.tzinfo or self.end.tzinfo:
            raise ValueError("opening hours are wall-clock times; give them without a time zone")
        if self.start >= self.end:
            raise ValueError(f"opening hours start {self.start} must be before end {self.end}")

    def contains(self, moment: time) -> bool:
        return self.start <= moment < self.end

    def clamp(self, moment: time) -> time:
        return min(max(moment, self.start), self.end)
