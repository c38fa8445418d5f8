"""What the technical team schedules: licensed host accounts, operators, equipment kits, venues."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

SEATS_BY_LICENSE = {"pro": 1, "business": 2}


@dataclass(frozen=True)
class HostAccount:
    """Akun berlisensi: one Zoom Pro account holds one meeting at a time, Business two."""

    account_id: str
    provider: str
    host_user: str
    license: str = "pro"
    daily_cap: int = 100

    @property
    def seats(self) -> int:
        return SEATS_BY_LICENSE[self.license]


@dataclass(frozen=True)
class Operator:
    """Operator virtual meeting: a user id, the ISO weekdays worked, and leave."""

    user_id: str
    working_days: frozenset[int] = frozenset({1, 2, 3, 4, 5})
    leave: tuple[tuple[date, date], ...] = ()

    def available_on(self, day: date) -> bool:
        on_leave = any(first <= day <= last for first, last in self.leave)
        return day.isoweekday() in self.working_days and not on_leave


@dataclass(frozen=True)
class Kit:
    """Perlengkapan video conference: a named kit of items."""

    kit_id: str
    name: str
    items: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Buffers:
    """Set-up before and overrun after the meeting, both held by every booking."""

    setup_minutes: int = 30
    overrun_minutes: int = 30

    def window(self, starts_at: datetime, ends_at: datetime) -> "Window":
        return Window(
            starts_at - timedelta(minutes=self.setup_minutes), ends_at + timedelta(minutes=self.overrun_minutes)
        )


@dataclass(frozen=True)
class Window:
    """The time a booking holds a resource: [starts, ends)."""

    starts: datetime
    ends: datetime

    def overlaps(self, other: "Window") -> bool:
        return self.starts < other.ends and other.starts < self.ends

    def shifted_to(self, starts: datetime) -> "Window":
        return Window(starts, starts + (self.ends - self.starts))
