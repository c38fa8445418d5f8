"""Rebuild a projection from the start of history beside the live one, then swap.

History is read with a raw nats-py ordered consumer whose callback only takes each message
off the wire; batches of `batch` messages are parsed and folded by a worker process on the
other core (`shared.projections.folding`) and each batch's fold is written to the new
generation in stream order, every batch or every half second, so memory stays flat however
long history is. When the new generation has caught up, the `projections` row is locked (pausing the
live consumer), the last events are written, and the new generation becomes live at the
outbox positions it has read.

Every wait is bounded: one rebuild per projection at a time (an advisory lock), the swap's
row lock (`lock_timeout`, a few attempts), and the reader reaching the stream's end.
"""
from __future__ import annotations

import asyncio
import collections
import contextlib
import time
from dataclasses import dataclass
from typing import Callable

import asyncpg
import structlog
from nats.js import JetStreamContext
from nats.js.api import DeliverPolicy

from shared.messaging.positions import POSITION_HEADER
from shared.messaging.streams import EVENTS_STREAM
from shared.projections.base import Projection, ensure_registered, make_live, subject_tokens
from shared.projections.folding import fold_in, folding_worker

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
    batch: int = 2_000
    """Messages handed to the folding worker at a time (and at most three batches in flight):
    memory depends on this, not on the length of history or the reading rate."""
    lock_timeout: float = 2.0
    """Seconds one swap attempt waits for the live consumer to release the row lock."""
    swap_attempts: int = 5
    reader_wait: float = 10.0
    """Seconds one swap attempt, holding the row lock, waits for the reader to reach the end."""
    stall: float = 60.0
    """Seconds catching up may go without the reader moving while behind."""


class _Reader:
    """Reads history in stream order and has it folded, each outbox position once.

    The ordered consumer may restart itself after missed heartbeats and deliver a message
    again: anything at or below the last sequence read is skipped. Events the projection does
    not read are skipped by their subject, unparsed. Copies republished past the duplicate
    window are dropped by the folding worker (`Folder`)."""

    def __init__(self, js: JetStreamContext, projection: Projection, conn: asyncpg.Connection,
                 table: str, batch: int):
        self.js, self.projection, self.conn, self.table = js, projection, conn, table
        self.batch_size = batch
        self.sequence, self.read, self.skipped = 0, 0, 0
        self.positions: dict[str, int] = {}
        self.batch: list = []
        self.folding: collections.deque[asyncio.Future] = collections.deque()
        self.failure: BaseException | None = None
        self.target, self.arrived = 0, asyncio.Event()
        self._wanted = subject_tokens(projection.events)
        self._worker = folding_worker(projection)

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
        self.batch.append((sequence, msg.headers.get(POSITION_HEADER) if msg.headers else None, msg.data))
        if len(self.batch) >= self.batch_size:
            await self._hand_over_from_callback()

    async def _hand_over_from_callback(self) -> None:
        """Two batches fold while the one before them is written, and no more: memory holds a
        few batches whatever the length of history. A failure is kept for the catch-up loop,
        since nats-py would only log it."""
        try:
            self._hand_over()
            while len(self.folding) > 2:
                await self._write_next(self.conn)
        except Exception as error:  # noqa: BLE001  re-raised by check()
            self.failure = error

    def _hand_over(self) -> None:
        if self.batch:
            batch, self.batch = self.batch, []
            self.folding.append(asyncio.wrap_future(fold_in(self._worker, batch)))

    async def _write_next(self, conn: asyncpg.Connection) -> None:
        folded, self.positions, self.skipped = await self.folding.popleft()
        await self.projection.write(conn, self.table, folded)

    async def flush(self, conn: asyncpg.Connection | None = None) -> dict[str, int]:
        """Write everything read so far; returns the positions it reaches."""
        self._hand_over()
        while self.folding:
            await self._write_next(conn or self.conn)
        return dict(self.positions)

    def check(self) -> None:
        if self.failure is not None:
            raise self.failure

    async def stop(self) -> None:
        await self.sub.unsubscribe()
        for folding in self.folding:
            folding.cancel()
        self._worker.shutdown(wait=True, cancel_futures=True)


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
            reader = _Reader(js, projection, conn, projection.table(generation), limits.batch)
            await reader.start()
            try:
                await _catch_up(js, reader, progress, limits)
                await _swap(pool, js, reader, generation, limits, progress)
            finally:
                await reader.stop()
        finally:
            await conn.execute(f"select pg_advisory_unlock({_LOCK_KEY})", projection.name)
    return Replayed(reader.read, reader.skipped)


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
        await make_live(conn, projection.name, generation, await reader.flush(conn))
        await conn.execute(f"drop table {projection.table(old)}")


def _stream_sequence(reply: str) -> int:
    """From the reply subject `$JS.ACK.<stream>.<consumer>.<delivered>.<stream seq>...`
    (or, with a domain and account hash, two tokens later): nats-py's `msg.metadata`
    parses every field and a timestamp, a tenth of a replay's time."""
    tokens = reply.split(".")
    return int(tokens[5] if len(tokens) == 9 else tokens[7])
