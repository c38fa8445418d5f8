"""Laporan pelaksanaan: what the execution report holds."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class ExecutionReport:
    """Pejabat yang memimpin, petugas yang bertugas, lokasi, hari/tanggal, kehadiran, rekaman, kendala."""

    attendance: int
    started_at: datetime | None = None
    ended_at: datetime | None = None
    leading_official: str | None = None
    officers_on_duty: list[str] = field(default_factory=list)
    venue: str | None = None
    held_on: date | None = None
    problems: str = ""
    recording_kept: bool = False
