"""What bounds a rebuild, and how it stops when a bound is reached."""

from __future__ import annotations

from dataclasses import dataclass


class RebuildError(Exception):
    """A rebuild that stopped and left the live generation as it was."""


class RebuildInProgress(RebuildError):
    pass


class SwapTimedOut(RebuildError):
    pass


class ReaderStalled(RebuildError):
    pass


@dataclass(frozen=True)
class Limits:
    flush_keys: int = 5_000
    """Keys folded in memory before they are written, at the latest: below what half a second
    of history makes for a row projection, so memory depends on this, not on the reading rate."""
    lock_timeout: float = 2.0
    """Seconds one swap attempt waits for the live consumer to release the row lock."""
    swap_attempts: int = 5
    reader_wait: float = 10.0
    """Seconds one swap attempt, holding the row lock, waits for the reader to reach the end."""
    stall: float = 60.0
    """Seconds catching up may go without the reader moving while behind."""
    pull_batch: int = 2_000
    """Messages the reader asks the server for at a time (two requests in flight)."""
