"""Dates and times as Indonesians read them: `Senin, 30 November 2026 09.00 WITA`."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from jinja2 import Environment

DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
MONTHS = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
ZONE_NAMES = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


def tanggal_waktu(moment: datetime | str, zone: str = "Asia/Jakarta") -> str:
    """Also takes an ISO 8601 string, as projections keep instants."""
    local = (datetime.fromisoformat(moment) if isinstance(moment, str) else moment).astimezone(ZoneInfo(zone))
    return (
        f"{DAYS[local.weekday()]}, {local.day} {MONTHS[local.month - 1]} {local.year} "
        f"{local:%H.%M} {ZONE_NAMES.get(zone, zone)}"
    )


def install_filters(env: Environment) -> None:
    env.filters["tanggal_waktu"] = tanggal_waktu
