"""A status page's stream wakes when its request's timeline grows (PostgreSQL NOTIFY), instead of
only polling: a second of polling was most of what a requester waited for a meeting link."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager

import asyncpg

from shared.db import listening

CHANNEL = "intake_timeline"


async def announce(conn: asyncpg.Connection, request_id: str) -> None:
    """Sent when the transaction commits; nothing is sent if it rolls back."""
    await conn.execute("select pg_notify($1, $2)", CHANNEL, str(request_id))


class TimelineSignals:
    """One listening connection per process, fanned out to the streams by request id."""

    def __init__(self) -> None:
        self.watchers: dict[str, set[asyncio.Event]] = {}

    @contextmanager
    def watching(self, request_id: str) -> Iterator[asyncio.Event]:
        """An event set whenever the request's timeline may have grown; the caller clears it."""
        woken = asyncio.Event()
        self.watchers.setdefault(request_id, set()).add(woken)
        try:
            yield woken
        finally:
            self.watchers[request_id].discard(woken)
            if not self.watchers[request_id]:
                del self.watchers[request_id]

    async def listen(self, pool: asyncpg.Pool) -> None:
        """Until cancelled, on a connection of its own (the pool's are for requests); ends with an
        error when that connection is lost (to be started again)."""
        async with listening(pool, CHANNEL, self._notified) as lost:
            await lost

    def _notified(self, _conn, _pid, _channel, request_id: str) -> None:
        for woken in self.watchers.get(request_id, ()):
            woken.set()


async def follow_timelines(runtime) -> None:
    """The `ServiceSpec.background` loop that keeps `runtime.extras["timeline_signals"]` listening."""
    signals = runtime.extras.setdefault("timeline_signals", TimelineSignals())
    await signals.listen(runtime.pool)
