"""Rebuild a projection from the start of history beside the live one, then swap.

History is read through a pull consumer whose messages skip nats-py's per-message work
(shared/messaging/raw_pull.py); the reader decodes what the projection reads of each event
(shared/projections/decoding.py) and folds its changes in memory (rebuild_reader.py). Where
the events a projection reads are at most half of the stream, the server sends only their
subjects. What was folded is written to the new generation every half second or every
`flush_keys` keys, whichever comes first, by a writer thread that the reader waits for when
it lags, so memory stays flat however long history is (rebuild_writer.py). When the new
generation has caught up, the `projections` row is locked (pausing the live consumer), the
last events are written, and the new generation becomes live at the outbox positions it has
read (rebuild_swap.py).

Every wait is bounded: one rebuild per projection at a time (an advisory lock), the swap's
row lock (`lock_timeout`, a few attempts), and the reader reaching the stream's end.
"""

from __future__ import annotations

import contextlib
import gc
import time
from dataclasses import dataclass
from typing import Callable, Iterator

import asyncpg
from nats.js import JetStreamContext

from shared.projections.base import Projection
from shared.projections.rebuild_limits import Limits, ReaderStalled
from shared.projections.rebuild_reader import HistoryReader
from shared.projections.rebuild_swap import lock, new_generation, swap, unlock

Progress = Callable[[int, int], None]
"""Called with (events read so far, events to read in all)."""

FLUSH_EVERY_SECONDS = 0.5


@dataclass(frozen=True)
class Replayed:
    read: int
    """Events of the stream gone through (its last sequence), those the server left out included."""
    skipped: int
    """Unreadable events, left out as the live consumer leaves them out."""


async def rebuild(
    pool: asyncpg.Pool,
    js: JetStreamContext,
    projection: Projection,
    progress: Progress = lambda done, of: None,
    limits: Limits = Limits(),
) -> Replayed:
    """Build generation N+1 from history and make it live; refused while another rebuild runs."""
    async with pool.acquire() as conn:
        await lock(conn, projection.name)
        try:
            generation = await new_generation(conn, projection)
            reader = HistoryReader(js, projection, projection.table(generation), limits)
            try:
                await reader.start(pool)
                with _no_cycle_collection():
                    await _catch_up(reader, progress, limits)
                    await swap(pool, reader, generation, limits, lambda: _catch_up(reader, progress, limits))
            finally:
                await reader.stop()
        finally:
            await unlock(conn, projection.name)
    return Replayed(reader.read, reader.skipped)


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """A replay makes millions of short-lived dicts and tuples and no reference cycles: the
    cyclic collector would only walk the growing fold again and again (a sixth of a row
    projection's replay). Reference counting still frees everything."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


async def _catch_up(reader: HistoryReader, progress: Progress, limits: Limits) -> None:
    end = await reader.end()
    moved_at, seen = time.monotonic(), reader.sequence
    while not reader.caught_up(end):
        await reader.reached(end, FLUSH_EVERY_SECONDS)
        await reader.flush()
        progress(reader.sequence, end.sent)
        if reader.sequence != seen:
            moved_at, seen = time.monotonic(), reader.sequence
        elif time.monotonic() - moved_at > limits.stall:
            raise ReaderStalled(
                f"replay of {reader.projection.name!r} stopped at sequence {seen} of {end.sent} for {limits.stall:.0f}s"
            )
        if reader.caught_up(end):
            end = await reader.end()
    progress(reader.sequence, reader.sequence)
