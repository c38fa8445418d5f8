"""Rebuild a projection from the start of history beside the live one, then swap.

History is read with a raw nats-py ordered consumer whose callback decodes what the
projection reads of each event (shared/projections/decoding.py) and folds its changes in
memory. Where the events a projection reads are at most half of the stream, the server sends
only their subjects. What was folded is written to the new generation every half second or
every `flush_keys` keys, whichever comes first, by a writer thread that the callback waits
for when it lags, so memory stays flat however long history is. When the new generation has
caught up, the `projections` row is locked (pausing the live consumer), the last events are
written, and the new generation becomes live at the outbox positions it has read.

Every wait is bounded: one rebuild per projection at a time (an advisory lock), the swap's
row lock (`lock_timeout`, a few attempts), and the reader reaching the stream's end.
"""
from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import contextlib
import gc
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Coroutine, Iterator, NamedTuple, TypeVar, cast

import asyncpg
import structlog
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError

from shared.db import connect_like
from shared.messaging.positions import STREAM_SOURCE, position_of
from shared.messaging.streams import EVENTS_STREAM
from shared.events.codec import SUBJECT_ROOT
from shared.projections.base import Projection, ensure_registered, make_live, subject_filters, subject_tokens
from shared.projections.decoding import decoder

log = structlog.get_logger()

Progress = Callable[[int, int], None]
"""Called with (events read so far, events to read in all)."""

FLUSH_EVERY_SECONDS = 0.5

T = TypeVar("T")


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
        self.size = size
        self.order: collections.deque[str] = collections.deque()
        self.ids: set[str] = set()

    def seen(self, event_id: str) -> bool:
        if event_id in self.ids:
            return True
        self.ids.add(event_id)
        self.order.append(event_id)
        if len(self.order) > self.size:
            self.ids.discard(self.order.popleft())
        return False


class _Writer:
    """Writes folds into the new generation one at a time, in the order they come, on a thread
    with an event loop and a connection of its own.

    A reader whose next fold is full while the last is still being written waits for it
    without awaiting: its event loop stands, so nats-py reads nothing more and the server's
    flow control holds the rest of the stream. Awaiting instead would let nats-py read on
    into memory for as long as PostgreSQL lags behind the reader."""

    def __init__(self, projection: Projection, table: str):
        self.projection, self.table = projection, table
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name=f"replay-writer-{projection.name}",
                                        daemon=True)
        self._conn: asyncpg.Connection | None = None
        self._in_order = asyncio.Lock()
        self._failure: BaseException | None = None
        self._last: concurrent.futures.Future[Any] | None = None

    async def open(self, pool: asyncpg.Pool) -> None:
        self._thread.start()
        self._conn = await self._on_thread(connect_like(pool))

    def write(self, folded: dict[Any, Any]) -> None:
        self._last = asyncio.run_coroutine_threadsafe(self._write(folded), self._loop)

    async def _write(self, folded: dict[Any, Any]) -> None:
        async with self._in_order:
            if self._failure is None:
                try:
                    await self.projection.write(self._conn, self.table, folded)
                except BaseException as error:  # every later write fails with it, in order
                    self._failure = error
            if self._failure is not None:
                raise self._failure

    def busy(self) -> bool:
        return self._last is not None and not self._last.done()

    def wait(self, within: float) -> None:
        """Until every fold so far is written, holding up this thread and its event loop;
        TimeoutError after `within` seconds."""
        if self._last is not None:
            self._last.result(within)

    async def written(self) -> None:
        """Until every fold so far is written."""
        if self._last is not None:
            await asyncio.wrap_future(self._last)

    async def close(self) -> None:
        """Stops what is left to write (a rebuild that ends has written all it keeps)."""
        if self._thread.is_alive():
            await self._on_thread(self._shut_down())
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join()
        self._loop.close()

    async def _shut_down(self) -> None:
        left = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in left:
            task.cancel()
        await asyncio.gather(*left, return_exceptions=True)
        if self._conn is not None:
            await self._conn.close()

    async def _on_thread(self, work: Coroutine[Any, Any, T]) -> T:
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(work, self._loop))


class _Reader:
    """Folds history in stream order, each outbox position once.

    The ordered consumer may restart itself after missed heartbeats and deliver a message
    again: anything at or below the last sequence read is skipped. The stream itself may
    hold a copy of an event republished after the duplicate window: its outbox position is
    at or below its outbox's, so it is skipped as live skips it, and what the reader keeps
    besides the fold is one number per outbox (and a window of recent ids for events without
    a position)."""

    def __init__(self, js: JetStreamContext, projection: Projection, table: str, limits: Limits):
        self.js, self.projection, self.table, self.limits = js, projection, table, limits
        self.writer = _Writer(projection, table)
        self.sequence, self.read, self.skipped = 0, 0, 0
        """The last stream sequence folded; how far into the stream it is known to have read."""
        self.positions: dict[str, int] = {}
        self.unpositioned = RecentIds()
        self.folded: dict[str, Any] = {}
        self.failure: BaseException | None = None
        self.target, self.arrived = 0, asyncio.Event()
        self._changes, self._fold = projection.changes, projection.fold  # looked up once, not per event
        self._decode = decoder(projection.reads)
        self._wanted = subject_tokens(projection.events)
        self._subjects: list[str] | None = None
        """The subjects the server sends, when it leaves out the events the projection does not read."""
        self.sub: JetStreamContext.PushSubscription | None = None

    async def end(self) -> _End:
        """Where history ends now, and the last sequence of it this reader is sent."""
        last = await _last_sequence(self.js)
        if self._subjects is None:
            return _End(last, last)
        lasts = await asyncio.gather(*(_last_of(self.js, subject) for subject in self._subjects))
        return _End(last, max(lasts, default=0))

    async def reached(self, end: _End, within: float) -> bool:
        """Whether the reader reaches `end` within `within` seconds."""
        self.target = end.sent
        self.arrived.clear()
        if self.sequence < end.sent:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.arrived.wait(), within)
        self.check()
        return self.caught_up(end)

    def caught_up(self, end: _End) -> bool:
        """Whether everything the reader is sent up to `end` is folded: the stream up to there
        counts as read."""
        if self.sequence < end.sent:
            return False
        self.read = max(self.read, end.stream)
        return True

    async def start(self, pool: asyncpg.Pool) -> None:
        await self.writer.open(pool)
        self._subjects = await _subjects_to_send(self.js, self._wanted)
        config = ConsumerConfig(filter_subjects=self._subjects) if self._subjects else None
        self.sub = await self.js.subscribe(
            "vidcon.>", stream=EVENTS_STREAM, ordered_consumer=True,
            deliver_policy=DeliverPolicy.ALL, cb=self._on_message, config=config)

    async def _on_message(self, msg: Msg) -> None:
        sequence = _stream_sequence(msg.reply)
        if sequence <= self.sequence:
            return
        self.sequence = sequence
        if sequence >= self.target:
            self.arrived.set()
        if self._wanted is not None and msg.subject.rpartition(".")[2] not in self._wanted:
            return
        try:
            envelope = self._decode(msg.data)
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
        if len(self.folded) >= self.limits.flush_keys:
            self._hand_over()

    def _hand_over(self) -> None:
        """A full fold goes to the writer while the next one is folded: PostgreSQL works beside
        the reader. The next full fold waits for the writer to be done, so memory holds two
        folds at most; a failure is kept for the catch-up loop, since nats-py would only log it."""
        try:
            if self.writer.busy():
                self.writer.wait(self.limits.stall)
        except concurrent.futures.TimeoutError:
            self.failure = ReaderStalled(f"replay of {self.projection.name!r}: a write took over"
                                         f" {self.limits.stall:.0f}s")
            return
        except Exception as error:  # noqa: BLE001  re-raised by check()
            self.failure = error
            return
        folded, self.folded = self.folded, {}
        self.writer.write(folded)

    async def flush(self, conn: asyncpg.Connection | None = None) -> dict[str, int]:
        """Write everything folded so far, once the folds before it are written; returns the
        positions it reaches. On `conn` (the swap's transaction) if given, else by the writer.
        Nothing is awaited between taking the fold and handing it over, so a fold the callback
        hands over meanwhile comes after this one, as its events do."""
        await self.writer.written()
        folded, self.folded = self.folded, {}
        positions = dict(self.positions)
        if conn is None:
            self.writer.write(folded)
            await self.writer.written()
        else:
            await self.projection.write(conn, self.table, folded)
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
        await self.writer.close()


class _End(NamedTuple):
    """The end of history at one moment: the stream's last sequence, and the last sequence
    among the subjects a reader is sent (the same, unless the server leaves events out)."""

    stream: int
    sent: int


@dataclass(frozen=True)
class Replayed:
    read: int
    """Events of the stream gone through (its last sequence), those the server left out included."""
    skipped: int
    """Unreadable events, left out as the live consumer leaves them out."""


async def rebuild(pool: asyncpg.Pool, js: JetStreamContext, projection: Projection,
                  progress: Progress = lambda done, of: None, limits: Limits = Limits()) -> Replayed:
    """Build generation N+1 from history and make it live; refused while another rebuild runs."""
    async with pool.acquire() as conn:
        await _lock(conn, projection.name)
        try:
            generation = await _new_generation(conn, projection)
            reader = _Reader(js, projection, projection.table(generation), limits)
            try:
                await reader.start(pool)
                with _no_cycle_collection():
                    await _catch_up(reader, progress, limits)
                    await _swap(pool, reader, generation, limits, progress)
            finally:
                await reader.stop()
        finally:
            await conn.execute(f"select pg_advisory_unlock({_LOCK_KEY})", projection.name)
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
    return cast("int", generation)


async def _last_sequence(js: JetStreamContext) -> int:
    return (await js.stream_info(EVENTS_STREAM)).state.last_seq


async def _subjects_to_send(js: JetStreamContext, wanted: frozenset[str] | None) -> list[str] | None:
    """The subjects of the events the projection reads, for the server to send only those, where
    they are at most half of the stream: a message the reader skips costs it nearly what
    one it folds does (nats-py parses both), but nats-server matching each message against many
    subjects sends half as many per second as it sends the whole stream."""
    if not wanted:
        return None
    counts = (await js.stream_info(EVENTS_STREAM, subjects_filter=f"{SUBJECT_ROOT}.>")).state.subjects or {}
    read = sum(count for subject, count in counts.items() if subject.rpartition(".")[2] in wanted)
    return subject_filters(wanted) if 2 * read <= sum(counts.values()) else None


async def _last_of(js: JetStreamContext, subject: str) -> int:
    """The stream sequence of the last event on `subject` (wildcards allowed), 0 if none."""
    try:
        return (await js.get_last_msg(EVENTS_STREAM, subject)).seq or 0
    except NotFoundError:
        return 0


async def _catch_up(reader: _Reader, progress: Progress, limits: Limits) -> None:
    end = await reader.end()
    moved_at, seen = time.monotonic(), reader.sequence
    while not reader.caught_up(end):
        await reader.reached(end, FLUSH_EVERY_SECONDS)
        await reader.flush()
        progress(reader.sequence, end.sent)
        if reader.sequence != seen:
            moved_at, seen = time.monotonic(), reader.sequence
        elif time.monotonic() - moved_at > limits.stall:
            raise ReaderStalled(f"replay of {reader.projection.name!r} stopped at sequence {seen} of {end.sent}"
                                f" for {limits.stall:.0f}s")
        if reader.caught_up(end):
            end = await reader.end()
    progress(reader.sequence, reader.sequence)


async def _swap(pool: asyncpg.Pool, reader: _Reader, generation: int,
                limits: Limits, progress: Progress) -> None:
    for attempt in range(1, limits.swap_attempts + 1):
        try:
            return await _swap_once(pool, reader, generation, limits)
        except (asyncpg.LockNotAvailableError, _ReaderBehind) as error:
            log.warning("replay.swap_retrying", projection=reader.projection.name, attempt=attempt,
                        error=repr(error))
            await _catch_up(reader, progress, limits)
    raise SwapTimedOut(
        f"projection {reader.projection.name!r}: generation {generation} was not swapped in after"
        f" {limits.swap_attempts} attempts (the live consumer held its row lock over"
        f" {limits.lock_timeout:g}s, or the reader was more than {limits.reader_wait:g}s behind);"
        " the old generation stays live")


class _ReaderBehind(Exception):
    pass


async def _swap_once(pool: asyncpg.Pool, reader: _Reader, generation: int, limits: Limits) -> None:
    projection = reader.projection
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("select set_config('lock_timeout', $1, true)", f"{int(limits.lock_timeout * 1000)}ms")
        old = await conn.fetchval(
            "select generation from projections where name = $1 for update", projection.name)
        if not await reader.reached(await reader.end(), limits.reader_wait):
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
