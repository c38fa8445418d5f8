"""A rebuild's reader: history in stream order, folded in memory and handed to the writer."""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import contextlib
from typing import Any, NamedTuple

import asyncpg
import structlog
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from shared.events.codec import SUBJECT_ROOT
from shared.messaging.positions import STREAM_SOURCE, position_in
from shared.messaging.raw_pull import RawPull
from shared.messaging.streams import EVENTS_STREAM
from shared.projections.base import Projection, subject_filters, subject_tokens
from shared.projections.decoding import decoder
from shared.projections.rebuild_limits import Limits, ReaderStalled
from shared.projections.rebuild_writer import FoldWriter

log = structlog.get_logger()


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


class End(NamedTuple):
    """The end of history at one moment: the stream's last sequence, and the last sequence
    among the subjects a reader is sent (the same, unless the server leaves events out)."""

    stream: int
    sent: int


class HistoryReader:
    """Folds history in stream order, each outbox position once.

    A recreated consumer may deliver a message again: anything at or below the last sequence
    read is skipped. The stream itself may hold a copy of an event republished after the
    duplicate window: its outbox position is at or below its outbox's, so it is skipped as
    live skips it, and what the reader keeps besides the fold is one number per outbox (and
    a window of recent ids for events without a position)."""

    def __init__(self, js: JetStreamContext, projection: Projection, table: str, limits: Limits):
        self.js, self.projection, self.table, self.limits = js, projection, table, limits
        self.writer = FoldWriter(projection, table)
        self.sequence, self.read, self.skipped = 0, 0, 0
        """The last stream sequence folded; how far into the stream it is known to have read."""
        self.positions: dict[str, int] = {}
        self.unpositioned = RecentIds()
        self.folded: dict[Any, Any] = {}
        self.failure: BaseException | None = None
        self.target, self.arrived = 0, asyncio.Event()
        self._changes, self._fold = projection.changes, projection.fold  # looked up once, not per event
        self._decode = decoder(projection.reads)
        tokens = subject_tokens(projection.events)
        self._wanted = tokens
        self._wanted_on_wire = None if tokens is None else frozenset(token.encode() for token in tokens)
        self._subjects: list[str] | None = None
        """The subjects the server sends, when it leaves out the events the projection does not read."""
        self.pull: RawPull | None = None

    async def end(self) -> End:
        """Where history ends now, and the last sequence of it this reader is sent."""
        last = await _last_sequence(self.js)
        if self._subjects is None:
            return End(last, last)
        lasts = await asyncio.gather(*(_last_of(self.js, subject) for subject in self._subjects))
        return End(last, max(lasts, default=0))

    async def reached(self, end: End, within: float) -> bool:
        """Whether the reader reaches `end` within `within` seconds."""
        self.target = end.sent
        self.arrived.clear()
        if self.sequence < end.sent:
            if self.pull is not None:
                await self.pull.revive()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.arrived.wait(), within)
        self.check()
        return self.caught_up(end)

    def caught_up(self, end: End) -> bool:
        """Whether everything the reader is sent up to `end` is folded: the stream up to there
        counts as read."""
        if self.sequence < end.sent:
            return False
        self.read = max(self.read, end.stream)
        return True

    async def start(self, pool: asyncpg.Pool) -> None:
        await self.writer.open(pool)
        self._subjects = await _subjects_to_send(self.js, self._wanted)
        self.pull = RawPull(self.js, EVENTS_STREAM, self._on_message, self._subjects, batch=self.limits.pull_batch)
        await self.pull.start()

    def _on_message(self, sequence: int, subject: bytes, headers: bytes | None, data: bytes) -> None:
        if sequence <= self.sequence:
            return
        self.sequence = sequence
        if sequence >= self.target:
            self.arrived.set()
        if self._wanted_on_wire is not None and subject[subject.rfind(b".") + 1 :] not in self._wanted_on_wire:
            return
        try:
            envelope = self._decode(data)
            source, at = position_in(headers, envelope["source"], sequence)
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
        folds at most; a failure is kept for the catch-up loop, since the read loop would
        only log it."""
        try:
            if self.writer.busy():
                self.writer.wait(self.limits.stall)
        except concurrent.futures.TimeoutError:
            self.failure = ReaderStalled(
                f"replay of {self.projection.name!r}: a write took over {self.limits.stall:.0f}s"
            )
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
        if self.failure is None and self.pull is not None:
            self.failure = self.pull.failure
        if self.failure is not None:
            raise self.failure

    async def stop_reading(self) -> None:
        """Nothing more is read: what comes after the swap is the live consumer's."""
        if self.pull is not None:
            pull, self.pull = self.pull, None
            await pull.stop()

    async def stop(self) -> None:
        await self.stop_reading()
        await self.writer.close()


async def _last_sequence(js: JetStreamContext) -> int:
    return (await js.stream_info(EVENTS_STREAM)).state.last_seq


async def _subjects_to_send(js: JetStreamContext, wanted: frozenset[str] | None) -> list[str] | None:
    """The subjects of the events the projection reads, for the server to send only those, where
    they are at most half of the stream: a message the reader skips costs it little, but
    nats-server matching each message against many subjects sends half as many per second as
    it sends the whole stream."""
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
