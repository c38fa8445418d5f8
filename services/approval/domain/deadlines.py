"""Sisa waktu: how much of a step's standard is left, in the units the standard counts."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from shared.calendar import Standard, WorkingCalendar


@dataclass(frozen=True)
class TimeLeft:
    due_at: datetime
    minutes: int
    """Working minutes left (clock minutes for calendar hours); negative when late."""
    late: bool


def time_left(calendar: WorkingCalendar, standard: Standard, due_at: datetime, now: datetime) -> TimeLeft:
    if standard.unit.counts_working_time:
        minutes = calendar.working_minutes_between(now, due_at)
    else:
        minutes = (due_at - now).total_seconds() / 60
    return TimeLeft(calendar.local(due_at), math.floor(minutes), now > due_at)
