"""The CPU half of a replay, in a process of its own: parse, drop copies, fold.

The reader's process only takes messages off the wire (as fast as nats-py can) and hands
them over in batches; this process, on the machine's other core, turns each batch into a
fold and the outbox positions it reaches. Batches are folded one after another, in stream
order, by one worker, so the order a projection depends on is kept.
"""
from __future__ import annotations

import collections
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import orjson
import structlog

from shared.messaging.positions import STREAM_SOURCE
from shared.projections.base import Projection

log = structlog.get_logger()

Message = tuple[int, str | None, bytes]
"""(stream sequence, the `Vidcon-Position` header or None, the event as published)."""


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


class Folder:
    """Each outbox position once: a copy republished past the duplicate window is at or below
    its outbox's position and is skipped, as the live consumer skips it."""

    def __init__(self, projection: Projection):
        self.positions: dict[str, int] = {}
        self.unpositioned = RecentIds()
        self.skipped = 0
        self._changes, self._fold = projection.changes, projection.fold

    def fold(self, messages: list[Message]) -> tuple[dict, dict[str, int], int]:
        """The batch's fold, the positions reached after it, and the unreadable events so far."""
        folded: dict = {}
        for sequence, position, data in messages:
            try:
                envelope = orjson.loads(data)
                outbox, at = _position(position, envelope["source"], sequence)
                if at <= self.positions.get(outbox, 0):
                    continue
                if outbox == STREAM_SOURCE and self.unpositioned.seen(envelope["id"]):
                    continue
                self.positions[outbox] = at
                self._fold(self._changes(envelope), folded)
            except (ValueError, KeyError, LookupError) as error:
                # The live consumer parks such an event in the dead-letter stream; skip it alike.
                log.warning("replay.unreadable_event_skipped", sequence=sequence, error=repr(error))
                self.skipped += 1
        return folded, dict(self.positions), self.skipped


def _position(header: str | None, source: str, sequence: int) -> tuple[str, int]:
    if header is None:
        return STREAM_SOURCE, sequence
    outbox, _, position = header.rpartition(":")
    return outbox or source, int(position)


_folder: Folder | None = None


def _start(projection: Projection) -> None:
    global _folder
    _folder = Folder(projection)


def _fold(messages: list[Message]) -> tuple[dict, dict[str, int], int]:
    assert _folder is not None
    return _folder.fold(messages)


def folding_worker(projection: Projection) -> ProcessPoolExecutor:
    """One worker process holding `projection`'s folder. Forked, so the projection (closures
    and all) is inherited, not pickled; the worker never touches the parent's event loop."""
    return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"),
                               initializer=_start, initargs=(projection,))


def fold_in(worker: ProcessPoolExecutor, messages: list[Message]):
    return worker.submit(_fold, messages)
