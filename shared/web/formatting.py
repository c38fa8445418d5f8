"""Dates and times as Indonesians read them: `Senin, 30 November 2026 09.00 WITA`."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from jinja2 import Environment
from shared.calendar.names import DAYS, MONTHS, ZONE_NAMES


def tanggal_waktu(moment: datetime | str, zone: str = "Asia/Jakarta") -> str:
    """Also takes an ISO 8601 string, as projections keep instants."""
    local = (datetime.fromisoformat(moment) if isinstance(moment, str) else moment).astimezone(ZoneInfo(zone))
    return (
        f"{DAYS[local.weekday()]}, {local.day} {MONTHS[local.month - 1]} {local.year} "
        f"{local:%H.%M} {ZONE_NAMES.get(zone, zone)}"
    )


def install_filters(env: Environment) -> None:
    env.filters["tanggal_waktu"] = tanggal_waktu
