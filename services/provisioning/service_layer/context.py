"""What provisioning's use cases need from outside: meeting providers, tenant profiles, a clock."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable

from provisioning.adapters.providers import MeetingProvider

SCHEMA = "provisioning"


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Provisioning:
    providers: dict[str, MeetingProvider]
    time_zone_of: Callable[[str], str]
    clock: Callable[[], datetime] = field(default=utc_now)
