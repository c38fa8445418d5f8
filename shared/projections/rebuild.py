"""Rebuild a projection from the start of history beside the live one, then swap.

History is read with a raw nats-py ordered consumer whose callback folds each event's
changes in memory; what was folded is written to the new generation every half second or
every `flush_keys` keys, whichever comes first, so memory stays flat however long history
is. When the new generation has caught up, the `projections` row is locked (pausing the
live consumer), the last events are written, and the new generation becomes live at the
outbox positions it has read.

Every wait is bounded: one rebuild per projection at a time (an advisory lock), the swap's
row lock (`lock_timeout`, a few attempts), and the reader reaching the stream's end.
"""
from __future__ import annotations

import asyncio
import collections
import contextlib
import gc
import time
from dataclasses import dataclass
from typing import Callable

import asyncpg
import orjson
import structlog
from nats.js import JetStreamContext
from nats.js.api import DeliverPolicy

from shared.messaging.positions import STREAM_SOURCE, position_of
from shared.messaging.streams import EVENTS_STREAM
from shared.projections.base import Projection, ensure_registered, make_live, subject_tokens

log = structlog.get_logger()

Progress = Callable[[int, int], None]
"""Called with (events read so far, events to read in all)."""

FLUSH_EVERY_SECONDS = 0.5


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


class RecentIds:
    """The last `size` event ids, for events without an outbox position.

    History published before the relay sent `Vidcon-Position` has only the stream sequence,
    which a republished copy does not repeat; the live consumer's inbox drops such a copy by
    its id. A relay republishes the tail it could not confirm, so a copy follows its original
    within a batch or two: a window of recent ids finds it with memory that stays flat."""

    def __init__(self, size: int = 100_000):
        self.size, self.order, self.ids = size, collections.deque(), set()

    def seen(self, event_id: str) -> bool:
        if event_id in self.ids:
            return True
        self.ids.add(event_id)
        self.order.append(event_id)
        if len(self.order) > self.size:
            self.ids.discard(self.order.popleft())
        return False


class _Reader:
    """Folds history in stream order, each outbox position once.

    The ordered consumer may restart itself after missed heartbeats and deliver a message
    again: anything at or below the last sequence read is skipped. The stream itself may
    hold a copy of an event republished after the duplicate window: its outbox position is
    at or below its outbox's, so it is skipped as live skips it, and what the reader keeps
    besides the fold is one number per outbox (and a window of recent ids for events without
    a position)."""

    def __init__(self, js: JetStreamContext, projection: Projection, conn: asyncpg.Connection,
                 table: str, flush_keys: int):
        self.js, self.projection, self.conn, self.table = js, projection, conn, table
        self.flush_keys = flush_keys
        self.sequence, self.read, self.skipped = 0, 0, 0
        self.positions: dict[str, int] = {}
        self.unpositioned = RecentIds()
        self.folded: dict = {}
        self.failure: BaseException | None = None
        self._writing = asyncio.Lock()
        self._in_flight: asyncio.Future | None = None
        self.target, self.arrived = 0, asyncio.Event()
        self._changes, self._fold = projection.changes, projection.fold  # looked up once, not per event
        self._wanted = subject_tokens(projection.events)
        self.sub = None

    async def reached(self, target: int, within: float) -> bool:
        """Whether the reader reaches stream sequence `target` within `within` seconds."""
        self.target = target
        self.arrived.clear()
        if self.sequence < target:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.arrived.wait(), within)
        self.check()
        return self.sequence >= target

    async def start(self) -> None:
        self.sub = await self.js.subscribe(
            "vidcon.>", stream=EVENTS_STREAM, ordered_consumer=True,
            deliver_policy=DeliverPolicy.ALL, cb=self._on_message)

    async def _on_message(self, msg) -> None:
        sequence = _stream_sequence(msg.reply)
        if sequence <= self.sequence:
            return
        self.sequence = sequence
        self.read += 1
        if sequence >= self.target:
            self.arrived.set()
        if self._wanted is not None and msg.subject[msg.subject.rfind(".") + 1:] not in self._wanted:
            return
        try:
            envelope = orjson.loads(msg.data)
            source, at = position_of(msg.headers, envelope["source"], sequence)
            if at <= self.positions.get(source, 0):
                return
            if source == STREAM_SOURCE and self.unpositioned.seen(envelope["id"]):
                return
            self.positions[source] = at
            self._fold(self._changes(envelope), self.folded)
        except (ValueError, KeyError, LookupError) as error:
            # The live consumer parks such an event in the dead-letter stream; skip it alike.
            log.warning("replay.unreadable_event_skipped", sequence=sequence, error=repr(error))
            self.skipped += 1
        if len(self.folded) >= self.flush_keys:
            await self._flush_from_callback()

    async def _flush_from_callback(self) -> None:
        """Writes a full fold while the next one is folded: PostgreSQL works beside the reader.
        At most one write is in flight (the next full fold waits for it), so memory holds two
        folds at most; a failure is kept for the catch-up loop, since nats-py would only log it."""
        try:
            await self._written()
            folded, self.folded = self.folded, {}
            self._in_flight = asyncio.ensure_future(self._write(self.conn, folded))
        except Exception as error:  # noqa: BLE001  re-raised by check()
            self.failure = error

    async def _written(self) -> None:
        if self._in_flight is not None:
            in_flight, self._in_flight = self._in_flight, None
            await in_flight

    async def _write(self, conn: asyncpg.Connection, folded: dict) -> None:
        async with self._writing:
            await self.projection.write(conn, self.table, folded)

    async def flush(self, conn: asyncpg.Connection | None = None) -> dict[str, int]:
        """Write everything folded so far, after any write in flight; returns the positions it
        reaches. Nothing is awaited between taking the fold and taking the write lock, so a
        write the callback starts meanwhile comes after this one, as its events do."""
        while self._in_flight is not None:
            await self._written()
        folded, self.folded = self.folded, {}
        positions = dict(self.positions)
        await self._write(conn or self.conn, folded)
        return positions

    def check(self) -> None:
        if self.failure is not None:
            raise self.failure

    async def stop_reading(self) -> None:
        """Nothing more is read: what comes after the swap is the live consumer's."""
        if self.sub is not None:
            sub, self.sub = self.sub, None
            await sub.unsubscribe()

    async def stop(self) -> None:
        await self.stop_reading()
        if self._in_flight is not None:
            self._in_flight.cancel()


@dataclass(frozen=True)
class Replayed:
    read: int
    skipped: int
    """Unreadable events, left out as the live consumer leaves them out."""


async def rebuild(pool: asyncpg.Pool, js: JetStreamContext, projection: Projection,
                  progress: Progress = lambda done, of: None, limits: Limits = Limits()) -> Replayed:
    """Build generation N+1 from history and make it live; refused while another rebuild runs."""
    async with pool.acquire() as conn:
        await _lock(conn, projection.name)
        try:
            generation = await _new_generation(conn, projection)
            reader = _Reader(js, projection, conn, projection.table(generation), limits.flush_keys)
            await reader.start()
            try:
                with _no_cycle_collection():
                    await _catch_up(js, reader, progress, limits)
                    await _swap(pool, js, reader, generation, limits, progress)
            finally:
                await reader.stop()
        finally:
            await conn.execute(f"select pg_advisory_unlock({_LOCK_KEY})", projection.name)
    return Replayed(reader.read, reader.skipped)


@contextlib.contextmanager
def _no_cycle_collection():
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


_LOCK_KEY = "hashtext('vidcon-rebuild:' || coalesce(current_schema(), '') || ':' || $1)"


async def _lock(conn: asyncpg.Connection, name: str) -> None:
    """Held on the rebuild's own connection: two rebuilds would both swap, one dropping the
    table the other made live."""
    if not await conn.fetchval(f"select pg_try_advisory_lock({_LOCK_KEY})", name):
        raise RebuildInProgress(f"projection {name!r} is being rebuilt already; try again when that finishes")


async def _new_generation(conn: asyncpg.Connection, projection: Projection) -> int:
    await ensure_registered(conn, projection)
    generation = await conn.fetchval(
        "select generation from projections where name = $1", projection.name) + 1
    await conn.execute(f"drop table if exists {projection.table(generation)}")
    await conn.execute(projection.create_sql(generation))
    return generation


async def _last_sequence(js: JetStreamContext) -> int:
    return (await js.stream_info(EVENTS_STREAM)).state.last_seq


async def _catch_up(js: JetStreamContext, reader: _Reader, progress: Progress, limits: Limits) -> None:
    last = await _last_sequence(js)
    moved_at, seen = time.monotonic(), reader.sequence
    while reader.sequence < last:
        await reader.reached(last, FLUSH_EVERY_SECONDS)
        await reader.flush()
        progress(reader.sequence, last)
        if reader.sequence != seen:
            moved_at, seen = time.monotonic(), reader.sequence
        elif time.monotonic() - moved_at > limits.stall:
            raise ReaderStalled(f"replay of {reader.projection.name!r} stopped at sequence {seen} of {last}"
                                f" for {limits.stall:.0f}s")
        if reader.sequence >= last:
            last = await _last_sequence(js)
    progress(reader.sequence, reader.sequence)


async def _swap(pool: asyncpg.Pool, js: JetStreamContext, reader: _Reader, generation: int,
                limits: Limits, progress: Progress) -> None:
    for attempt in range(1, limits.swap_attempts + 1):
        try:
            return await _swap_once(pool, js, reader, generation, limits)
        except (asyncpg.LockNotAvailableError, _ReaderBehind) as error:
            log.warning("replay.swap_retrying", projection=reader.projection.name, attempt=attempt,
                        error=repr(error))
            await _catch_up(js, reader, progress, limits)
    raise SwapTimedOut(
        f"projection {reader.projection.name!r}: generation {generation} was not swapped in after"
        f" {limits.swap_attempts} attempts (the live consumer held its row lock over"
        f" {limits.lock_timeout:g}s, or the reader was more than {limits.reader_wait:g}s behind);"
        " the old generation stays live")


class _ReaderBehind(Exception):
    pass


async def _swap_once(pool: asyncpg.Pool, js: JetStreamContext, reader: _Reader, generation: int,
                     limits: Limits) -> None:
    projection = reader.projection
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("select set_config('lock_timeout', $1, true)", f"{int(limits.lock_timeout * 1000)}ms")
        old = await conn.fetchval(
            "select generation from projections where name = $1 for update", projection.name)
        if not await reader.reached(await _last_sequence(js), limits.reader_wait):
            raise _ReaderBehind(f"reader at {reader.sequence}")
        await reader.stop_reading()
        await make_live(conn, projection.name, generation, await reader.flush(conn))
        await conn.execute(f"drop table {projection.table(old)}")


def _stream_sequence(reply: str) -> int:
    """From the reply subject `$JS.ACK.<stream>.<consumer>.<delivered>.<stream seq>...`
    (or, with a domain and account hash, two tokens later): nats-py's `msg.metadata`
    parses every field and a timestamp, a tenth of a replay's time."""
    tokens = reply.split(".")
    return int(tokens[5] if len(tokens) == 9 else tokens[7])
