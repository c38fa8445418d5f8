"""The one working-time calendar (kalender kerja) for every service."""

from .closed_days import PUBLIC_HOLIDAYS_AND_COLLECTIVE_LEAVE, ClosedDays
from .instants import NaiveDatetimeError
from .opening_hours import OpeningHours, Weekday
from .standard import Standard, StepAssessment, TimeUnit
from .working_calendar import WorkingCalendar

__all__ = [
    "PUBLIC_HOLIDAYS_AND_COLLECTIVE_LEAVE",
    "ClosedDays",
    "NaiveDatetimeError",
    "OpeningHours",
    "Standard",
    "StepAssessment",
    "TimeUnit",
    "Weekday",
    "WorkingCalendar",
]
