"""The one clock: every service reads the time through it, so that a test can set its own."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable

Clock = Callable[[], datetime]
"""What a use case asks the time of: `utc_now`, or a test's fixed or moving time."""


def utc_now() -> datetime:
    """The real time, in UTC: what every event, row and page starts from."""
    return datetime.now(timezone.utc)
