"""Kesiapan: network team coordinated, equipment checked, venue checked, trial run done."""

from __future__ import annotations

ONLINE_CHECKS = ("network", "trial_run")
VENUE_CHECKS = ("network", "equipment", "venue", "trial_run")
CHECK_NAMES = {
    "network": "Koordinasi dengan tim jaringan",
    "equipment": "Pengecekan peralatan",
    "venue": "Pengecekan lokasi",
    "trial_run": "Uji coba",
}


def required_checks(online_only: bool) -> tuple[str, ...]:
    return ONLINE_CHECKS if online_only else VENUE_CHECKS


def requester_must_bring(asked: list[str], kit_items: tuple[str, ...]) -> list[str]:
    """Alat yang tidak lengkap dilengkapi oleh pihak pemohon (Gorontalo, langkah 5)."""
    supplied = {item.casefold() for item in kit_items}
    return [item for item in asked if item.casefold() not in supplied]
