"""Hari libur: Indonesian public holidays, cuti bersama and a tenant's own closed dates."""

from collections.abc import Iterable
from datetime import date
from functools import lru_cache

import holidays

PUBLIC_HOLIDAYS_AND_COLLECTIVE_LEAVE = ("public", "government")


@lru_cache(maxsize=None)
def _indonesian_holidays(categories: tuple[str, ...]) -> holidays.HolidayBase:
    # One shared table per category set; it fills in each year on first lookup.
    return holidays.country_holidays("ID", categories=categories)


class ClosedDays:
    """Days a tenant does not work although the weekday is a working one.

    The 'government' category of the `holidays` package carries cuti bersama
    (collective leave); 'public' carries hari libur nasional.
    """

    def __init__(
        self,
        extra_dates: Iterable[date] = (),
        categories: Iterable[str] = PUBLIC_HOLIDAYS_AND_COLLECTIVE_LEAVE,
    ) -> None:
        self._holidays = _indonesian_holidays(tuple(categories))
        self._extra = frozenset(extra_dates)

    def is_closed(self, day: date) -> bool:
        return day in self._extra or day in self._holidays

    def reason(self, day: date) -> str | None:
        if day in self._extra:
            return "tenant closed date"
        return self._holidays.get(day)
