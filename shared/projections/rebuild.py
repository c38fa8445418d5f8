"""Rebuild a projection from the start of history beside the live one, then swap.

History is read with a raw nats-py ordered consumer whose callback sums each event's
deltas in memory (a counter projection's totals are small whatever the history's length);
the totals are written in batches. When the new generation has caught up, the
`projections` row is locked (pausing the live consumer), the last events are added, and the
new generation becomes live at the sequence it has read.
"""
from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Callable

import asyncpg
import orjson
import structlog
from nats.js import JetStreamContext
from nats.js.api import DeliverPolicy

from shared.messaging.streams import EVENTS_STREAM
from shared.projections.base import Projection, ensure_registered

log = structlog.get_logger()

Progress = Callable[[int, int], None]
"""Called with (events read so far, events to read in all)."""

FLUSH_EVERY_SECONDS = 0.5


class _Reader:
    """Sums history in stream order, each event id once.

    The ordered consumer may restart itself after missed heartbeats and deliver a message
    again: anything at or below the last sequence read is skipped. The stream itself may hold
    a copy of an event republished after the duplicate window: its id was seen (128-bit
    keys, about 75 MB per million events)."""

    def __init__(self, js: JetStreamContext, projection: Projection):
        self.js, self.projection = js, projection
        self.sequence, self.read, self.skipped = 0, 0, 0
        self.totals: dict = {}
        self.seen: set[int] = set()

    async def start(self) -> None:
        self.sub = await self.js.subscribe(
            "vidcon.>", stream=EVENTS_STREAM, ordered_consumer=True,
            deliver_policy=DeliverPolicy.ALL, cb=self._on_message)

    async def _on_message(self, msg) -> None:
        sequence = msg.metadata.sequence.stream
        if sequence <= self.sequence:
            return
        self.sequence = sequence
        self.read += 1
        try:
            envelope = orjson.loads(msg.data)
            if self._seen_before(envelope["id"]):
                return
            self.projection.fold(self.projection.changes(envelope), self.totals)
        except (ValueError, KeyError, LookupError) as error:
            # The live consumer parks such an event in the dead-letter stream; skip it alike.
            log.warning("replay.unreadable_event_skipped", sequence=sequence, error=repr(error))
            self.skipped += 1

    def _seen_before(self, event_id: str) -> bool:
        """A copy republished after JetStream's duplicate window counts once, as live it does."""
        key = int(event_id.replace("-", ""), 16)
        if key in self.seen:
            return True
        self.seen.add(key)
        return False

    def take(self) -> tuple[dict, int]:
        """The totals summed since the last take, and the sequence they reach."""
        totals, self.totals = self.totals, {}
        return totals, self.sequence

    async def stop(self) -> None:
        await self.sub.unsubscribe()


@dataclass(frozen=True)
class Replayed:
    read: int
    skipped: int
    """Unreadable events, left out as the live consumer leaves them out."""


async def rebuild(pool: asyncpg.Pool, js: JetStreamContext, projection: Projection,
                  progress: Progress = lambda done, of: None) -> Replayed:
    """Build generation N+1 from history and make it live."""
    generation = await _new_generation(pool, projection)
    reader = _Reader(js, projection)
    await reader.start()
    try:
        await _catch_up(pool, js, reader, projection.table(generation), progress)
        await _swap(pool, js, reader, generation)
    finally:
        await reader.stop()
    return Replayed(reader.read, reader.skipped)


async def _new_generation(pool: asyncpg.Pool, projection: Projection) -> int:
    async with pool.acquire() as conn:
        await ensure_registered(conn, projection)
        generation = await conn.fetchval(
            "select generation from projections where name = $1", projection.name) + 1
        await conn.execute(f"drop table if exists {projection.table(generation)}")
        await conn.execute(projection.create_sql(generation))
    return generation


async def _last_sequence(js: JetStreamContext) -> int:
    return (await js.stream_info(EVENTS_STREAM)).state.last_seq


async def _flush(conn: asyncpg.Connection, reader: _Reader, table: str) -> int:
    totals, sequence = reader.take()
    await reader.projection.write(conn, table, totals)
    return sequence


async def _catch_up(pool, js, reader: _Reader, table: str, progress: Progress) -> None:
    last = await _last_sequence(js)
    while reader.sequence < last:
        await asyncio.sleep(FLUSH_EVERY_SECONDS)
        async with pool.acquire() as conn:
            await _flush(conn, reader, table)
        progress(reader.sequence, last)
        if reader.sequence >= last:
            last = await _last_sequence(js)
    progress(reader.sequence, reader.sequence)


async def _swap(pool, js, reader: _Reader, generation: int) -> None:
    projection = reader.projection
    async with pool.acquire() as conn, conn.transaction():
        old = await conn.fetchval(
            "select generation from projections where name = $1 for update", projection.name)
        last = await _last_sequence(js)
        while reader.sequence < last:
            await asyncio.sleep(0.01)
        reached = await _flush(conn, reader, projection.table(generation))
        await conn.execute("update projections set generation = $2, checkpoint = $3 where name = $1",
                           projection.name, generation, reached)
        await conn.execute(f"drop table {projection.table(old)}")
