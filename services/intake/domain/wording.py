"""Dates, days and hours as an Indonesian requester reads them in a message."""

from __future__ import annotations

from typing import Any
from datetime import date, datetime
from functools import lru_cache

import holidays

from shared.calendar.names import DAYS, tanggal
from shared.calendar.names import ZONE_NAMES as ZONES


def tanggal_jam(moment: datetime, zone: str) -> str:
    """`Senin, 28 Desember 2026 08.00 WIB` (moment already in the tenant's zone)."""
    return f"{tanggal(moment.date())} {moment:%H.%M} {ZONES.get(zone, zone)}"


@lru_cache(maxsize=1)
def _holiday_names() -> holidays.HolidayBase:
    return holidays.country_holidays("ID", categories=("public", "government"), language="id")


def holiday_name(day: date) -> str | None:
    """Hari libur nasional or cuti bersama, named in Indonesian."""
    return _holiday_names().get(day)


def weekly_hours(by_weekday: dict[int, tuple[Any, ...]], zone: str) -> str:
    """`Senin–Kamis 08.00–16.00, Jumat 08.00–16.30 WITA`: runs of days with the same hours."""
    runs: list[list[Any]] = []
    for day in sorted(by_weekday):
        hours = by_weekday[day]
        if runs and runs[-1][1] == day - 1 and runs[-1][2] == hours:
            runs[-1][1] = day
        else:
            runs.append([day, day, hours])
    parts = [
        f"{DAYS[first]}{'–' + DAYS[last] if last != first else ''} {start:%H.%M}–{end:%H.%M}"
        for first, last, (start, end) in runs
    ]
    return ", ".join(parts) + f" {ZONES.get(zone, zone)}"
