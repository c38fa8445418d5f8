"""The outbox relay: publishes a service's committed events to JetStream, in order, once.

What other agencies read is not the relay's job: reporting's public feed maps the log to
public events (shared/events/public, reporting/entrypoints/public_feed.py).

Each event carries `Vidcon-Position`, its outbox position, which projections checkpoint on
(see shared/messaging/positions.py).

It resumes from `relay_position` after any crash. A crash after publishing but before saving
the position republishes the tail; `Nats-Msg-Id` = event id lets JetStream drop those copies
inside its duplicate window, and consumers are idempotent beyond it.

Gaps: it reads only up to the outbox's settled position (shared/eventstore/settled.py), so
a slower append that commits a lower position later is never passed over; while older
transactions keep it from settling it looks again soon (`settle_wait` doubling up to
`idle_wait`) besides waking on `NOTIFY`.

Order: each event is published only once the one before it is acknowledged, so a failure at
event k leaves k+1.. unsent; the position is saved up to k-1 and the next try starts at k.
(Pipelining was faster, but an event sent after a failed one could be stored before it.)

Leadership: only the replica holding the outbox's advisory lock relays. The lock lives on
one connection kept for it, which also reads the outbox, saves the position and listens for
`NOTIFY`; the lock is checked on it before every batch, so a relay whose session ended
(PostgreSQL restarted, connection cut) stops publishing and stands by until it holds the
lock again. The saved position only moves forward, whoever saves it.

Tracing: an event appended in a traced transaction is published in a span of that trace,
whose context goes out as the `traceparent` header (shared/messaging/spans.py).

Any failure (PostgreSQL, NATS, a timeout, a bug) drops that connection without a word to the
server and starts over after a capped backoff: nothing ends the relay but cancellation.
"""

from __future__ import annotations

import asyncio
import contextlib
import zlib
from typing import Any, AsyncIterator, Awaitable, Callable

import asyncpg
import structlog
from nats.aio.client import Client

from shared.eventstore import (
    Recorded,
    advance_relay_position,
    notify_channel,
    read_after,
    read_after_settling,
    relay_position,
)
from shared.eventstore.settled import Settled
from shared.messaging.positions import publish_headers
from shared.messaging.spans import publishing
from shared.supervision import Backoff

log = structlog.get_logger()

Reader = Callable[[asyncpg.Connection, int, int, Settled], Awaitable[list[Recorded]]]
"""How the relay reads a batch: `read_after`, or `read_after_settling` to wait out open transactions."""

HOLDS_LOCK = (
    "select exists (select 1 from pg_locks where locktype = 'advisory' and granted"
    " and pid = pg_backend_pid() and classid = $1 and objid = $2 and objsubid = 1)"
)


def relay_lock_key(schema: str) -> int:
    """The advisory lock that makes one replica the outbox's relay."""
    return zlib.crc32(f"vidcon-relay:{schema}".encode())


class LeadershipLost(Exception):
    pass


class OutboxRelay:
    def __init__(
        self,
        pool: asyncpg.Pool,
        nc: Client,
        schema: str,
        batch_size: int = 500,
        idle_wait: float = 1.0,
        lock_retry: float = 1.0,
        backoff: Backoff | None = None,
        publish_timeout: float = 5.0,
        settle_wait: float = 0.005,
    ):
        self.pool, self.nc, self.js, self.schema = pool, nc, nc.jetstream(), schema
        self.batch_size, self.idle_wait, self.lock_retry = batch_size, idle_wait, lock_retry
        self.backoff = backoff or Backoff(first=0.2, cap=5.0)
        self.publish_timeout = publish_timeout
        self.settle_backoff = Backoff(first=settle_wait, cap=idle_wait)
        self.settled = Settled()
        self.role = "starting"
        """starting, standby (another replica holds the lock), leader, or retrying."""
        self.last_error: str | None = None
        self._wake = asyncio.Event()
        self.position = 0

    def status(self) -> dict[str, Any]:
        """`held_back`: events are appended past `position` that an older open transaction keeps
        from settling (see shared/eventstore/settled.py)."""
        return {
            "role": self.role,
            "position": self.position,
            "last_error": self.last_error,
            "held_back": self.settled.waiting,
        }

    async def run(self) -> None:
        """Relay until cancelled, starting over after any failure."""
        while True:
            try:
                await self._lead()
            except Exception as error:  # noqa: BLE001  whatever broke, reconnect and resume
                await self._retry_after(error)

    async def relay_once(self) -> int:
        """Publish the next batch from `self.position`, without leadership (tools and tests);
        returns how many events were published, 0 only once all appended before is."""
        async with self.pool.acquire() as conn:
            published, _ = await self._relay_batch(conn, read_after_settling)
        return published

    async def _lead(self) -> None:
        async with self._own_connection() as conn:
            await self._acquire_lock(conn)
            await conn.add_listener(notify_channel(self.schema), self._wake_up)
            conn.add_termination_listener(self._wake_up)  # a lost session is noticed at once
            self.position = await relay_position(conn)
            self.settled = Settled()  # a mark is only meaningful on the server that gave it
            self.role = "leader"
            self.backoff.reset()
            log.info("relay.leading", schema=self.schema, position=self.position)
            while True:
                await self._check_lock(conn)
                await self._relay_next(conn)

    async def _relay_next(self, conn: asyncpg.Connection) -> None:
        published, whole = await self._relay_batch(conn)
        if not whole:
            await asyncio.sleep(self.backoff.next())
        elif published:
            self.backoff.reset()
            self.settle_backoff.reset()
        else:
            await self._sleep_until_woken(self.settle_backoff.next() if self.settled.waiting else self.idle_wait)

    @contextlib.asynccontextmanager
    async def _own_connection(self) -> AsyncIterator[asyncpg.Connection]:
        conn = await self.pool.acquire(timeout=30)
        try:
            yield conn
        finally:
            _drop(conn)

    async def _acquire_lock(self, conn: asyncpg.Connection) -> None:
        while not await conn.fetchval("select pg_try_advisory_lock($1)", self._lock_key()):
            if self.role != "standby":
                log.info("relay.standing_by", schema=self.schema)
            self.role = "standby"
            await asyncio.sleep(self.lock_retry)

    async def _check_lock(self, conn: asyncpg.Connection) -> None:
        """A closed session fails the query; an open one may still have let go (behind a pooler
        that hands out another server session, or after an unlock), which only pg_locks shows."""
        key = self._lock_key()
        if not await conn.fetchval(HOLDS_LOCK, key >> 32, key & 0xFFFFFFFF):
            raise LeadershipLost(f"the relay lock of {self.schema} is no longer held")

    async def _retry_after(self, error: Exception) -> None:
        self.role, self.last_error = "retrying", repr(error)
        delay = self.backoff.next()
        log.warning("relay.retrying", schema=self.schema, error=self.last_error, in_seconds=delay)
        await asyncio.sleep(delay)

    async def _relay_batch(self, conn: asyncpg.Connection, read: Reader = read_after) -> tuple[int, bool]:
        """Publish the next batch up to its first failure: (how many, whether all of them)."""
        batch = await read(conn, self.position, self.batch_size, self.settled)
        published = await self._publish_in_order(batch)
        if published:
            self.position = await advance_relay_position(conn, batch[published - 1].position)
        return published, published == len(batch)

    async def _publish_in_order(self, batch: list[Recorded]) -> int:
        for count, record in enumerate(batch):
            try:
                await self._publish(record)
            except Exception as error:  # noqa: BLE001  the rest of the batch waits for this one
                self.last_error = repr(error)
                log.warning(
                    "relay.publish_failed",
                    schema=self.schema,
                    event_id=record.envelope.id,
                    position=record.position,
                    error=self.last_error,
                )
                return count
        return len(batch)

    async def _publish(self, record: Recorded) -> None:
        with publishing(record, publish_headers(record.envelope.id, self.schema, record.position)) as headers:
            await self.js.publish(
                record.nats_subject, record.envelope.to_json(), timeout=self.publish_timeout, headers=headers
            )

    async def _sleep_until_woken(self, timeout: float) -> None:
        try:
            await asyncio.wait_for(self._wake.wait(), timeout)
        except asyncio.TimeoutError:
            pass
        self._wake.clear()

    def _wake_up(self, *_args: object) -> None:
        self._wake.set()

    def _lock_key(self) -> int:
        return relay_lock_key(self.schema)


def _drop(conn: asyncpg.Connection) -> None:
    """Close without a word to the server, which may be gone: the lock and the listener end
    with the session, and nothing here can raise (unlocking on a dead connection did)."""
    with contextlib.suppress(Exception):
        conn.terminate()


async def run_relay(schema: str) -> None:
    """Relay one service's outbox from a process of its own (ops, tests)."""
    from shared.config import Settings
    from shared.db import create_pool
    from shared.messaging.connect import connect_nats
    from shared.messaging.streams import ensure_streams

    settings = Settings()
    pool = await create_pool(settings.database_url, schema)
    nc = await connect_nats(settings.nats_url, name=f"{schema}-relay", settings=settings)
    await ensure_streams(nc.jetstream())
    await OutboxRelay(pool, nc, schema).run()


if __name__ == "__main__":
    import typer

    from shared.cli.stream import relay

    typer.run(relay)  # also `vidcon stream relay`
