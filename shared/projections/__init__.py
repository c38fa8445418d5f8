"""Checkpointed projections that can be rebuilt beside the live copy and swapped in."""
from shared.projections.counters import CounterProjection, Delta
from shared.projections.live import apply_live
from shared.projections.rebuild import rebuild

__all__ = ["CounterProjection", "Delta", "apply_live", "rebuild"]
