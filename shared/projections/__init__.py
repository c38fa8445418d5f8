"""Checkpointed projections that can be rebuilt beside the live copy and swapped in."""

from shared.projections.base import Projection, ensure_registered
from shared.projections.counters import CounterProjection, Delta
from shared.projections.live import apply_live
from shared.projections.rebuild import rebuild
from shared.projections.rebuild_limits import (
    Limits,
    RebuildError,
    RebuildInProgress,
    ReaderStalled,
    SwapTimedOut,
)
from shared.projections.rows import Patch, RowProjection

__all__ = [
    "CounterProjection",
    "Delta",
    "Limits",
    "Patch",
    "Projection",
    "ReaderStalled",
    "RebuildError",
    "RebuildInProgress",
    "RowProjection",
    "SwapTimedOut",
    "apply_live",
    "ensure_registered",
    "rebuild",
]
