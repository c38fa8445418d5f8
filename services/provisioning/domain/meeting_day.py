"""Hari pelaksanaan: when an operator may record a meeting's start and end, and why not otherwise."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from shared.domain import DomainRuleBroken

EARLY_START = timedelta(minutes=15)
"""How long before the scheduled start an operator may record the start (a tenant may change it)."""
LATE_END = timedelta(hours=3)
"""How long after the scheduled end an operator may still record the end; later, the report takes it."""


def _at(moment: datetime, zone: tzinfo | None) -> str:
    return f"{moment.astimezone(zone):%d-%m-%Y %H.%M}" if zone else f"{moment:%d-%m-%Y %H.%M %Z}"


def check_start(
    at: datetime, starts_at: datetime, ends_at: datetime, early: timedelta = EARLY_START, zone: tzinfo | None = None
) -> None:
    """A start is recorded from `early` before the scheduled start until the scheduled end."""
    if at < starts_at - early:
        minutes = int(early.total_seconds() // 60)
        raise DomainRuleBroken(
            "started_at",
            f"rapat dijadwalkan mulai {_at(starts_at, zone)}; waktu mulai baru dapat"
            f" dicatat paling awal {minutes} menit sebelumnya",
        )
    if at > ends_at:
        raise DomainRuleBroken(
            "started_at",
            f"jadwal rapat sudah berakhir pukul {_at(ends_at, zone)}; isi waktu"
            " mulai yang sebenarnya di laporan pelaksanaan",
        )


def check_end(at: datetime, started_at: datetime | None, ends_at: datetime, zone: tzinfo | None = None) -> None:
    """An end comes after the recorded start, in a later minute, and not long after the scheduled end."""
    if started_at is None:
        raise DomainRuleBroken("ended_at", "waktu mulai belum tercatat; catat mulai lebih dulu")
    if at <= started_at:
        raise DomainRuleBroken("ended_at", "waktu selesai harus setelah waktu mulai")
    if same_minute(at, started_at):
        raise DomainRuleBroken(
            "ended_at",
            f"rapat baru dicatat mulai pukul {_at(started_at, zone)}; waktu selesai"
            " tidak boleh pada menit yang sama dengan waktu mulai",
        )
    if at > ends_at + LATE_END:
        raise DomainRuleBroken(
            "ended_at",
            f"jadwal rapat berakhir {_at(ends_at, zone)}; waktu selesai sejauh ini"
            " tidak dicatat dari tombol, isi waktu sebenarnya di laporan pelaksanaan",
        )


def same_minute(one: datetime, other: datetime) -> bool:
    return one.replace(second=0, microsecond=0) == other.replace(second=0, microsecond=0)


def as_recorded(given: datetime | None, recorded: datetime | None) -> datetime | None:
    """A time given to the minute (a form's prefilled field) that is the recorded one stays the recorded one."""
    if given is None:
        return recorded
    if recorded is not None and given.second == 0 and same_minute(given, recorded.astimezone(given.tzinfo)):
        return recorded
    return given
