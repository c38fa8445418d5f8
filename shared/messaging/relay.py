"""The outbox relay: publishes a service's committed events to JetStream, in order, once.

Events that other agencies may read are also sent, stripped of everything else, on
`vidcon_public.<tenant>.<context>.<event>` (see shared/events/public.py).

Each event carries `Vidcon-Position`, its outbox position, which projections checkpoint on
(see shared/messaging/positions.py).

It resumes from `relay_position` after any crash. A crash after publishing but before saving
the position republishes the tail; `Nats-Msg-Id` = event id lets JetStream drop those copies
inside its duplicate window, and consumers are idempotent beyond it.

Publishing is pipelined on one connection (the server stores one connection's messages in
the order it sent them) and the position only advances over an unbroken run of
acknowledgements, so a failure restarts from the first unacknowledged event.
"""
from __future__ import annotations

import asyncio
import zlib

import asyncpg
import structlog
from nats.aio.client import Client

from shared.events.public import public_copy
from shared.eventstore import Recorded, notify_channel, read_after
from shared.messaging.positions import publish_headers

log = structlog.get_logger()


class OutboxRelay:
    def __init__(self, pool: asyncpg.Pool, nc: Client, schema: str,
                 batch_size: int = 500, idle_wait: float = 1.0):
        self.pool, self.nc, self.js, self.schema = pool, nc, nc.jetstream(), schema
        self.batch_size, self.idle_wait = batch_size, idle_wait
        self._wake = asyncio.Event()
        self.position = 0

    async def run(self) -> None:
        """Relay until cancelled; only the replica holding the advisory lock relays."""
        async with self.pool.acquire() as lock_conn:
            await lock_conn.execute("select pg_advisory_lock($1)", self._lock_key())
            await lock_conn.add_listener(notify_channel(self.schema), self._on_notify)
            self.position = await self._load_position(lock_conn)
            log.info("relay.started", schema=self.schema, position=self.position)
            try:
                while True:
                    if not await self._relay_safely():
                        await self._sleep_until_woken()
            finally:
                await lock_conn.remove_listener(notify_channel(self.schema), self._on_notify)
                await lock_conn.execute("select pg_advisory_unlock($1)", self._lock_key())

    async def _relay_safely(self) -> int:
        try:
            return await self.relay_once()
        except (OSError, asyncpg.PostgresError, ConnectionError) as error:
            log.warning("relay.retrying", schema=self.schema, error=repr(error))
            await asyncio.sleep(1.0)
            return 0

    async def relay_once(self) -> int:
        """Publish the next batch; returns how many events were published."""
        async with self.pool.acquire() as conn:
            batch = await read_after(conn, self.position, self.batch_size)
        if not batch:
            return 0
        published = await self._publish(batch)
        if published:
            await self._save_position(batch[published - 1].position)
        if published < len(batch):
            await asyncio.sleep(0.5)
        return published

    async def _publish(self, batch: list[Recorded]) -> int:
        futures = [
            await self.js.publish_async(
                r.nats_subject, r.envelope.to_json(), headers=publish_headers(r.envelope.id, self.schema, r.position)
            )
            for r in batch
        ]
        results = await asyncio.gather(*futures, return_exceptions=True)
        for count, result in enumerate(results):
            if isinstance(result, BaseException):
                log.warning("relay.publish_failed", schema=self.schema,
                            event_id=batch[count].envelope.id, error=repr(result))
                await self._publish_public(batch[:count])
                return count
        await self._publish_public(batch)
        return len(results)

    async def _publish_public(self, published: list[Recorded]) -> None:
        """Copies for other agencies, once the events are safely in the log.

        Their stream lives in the agencies' account and takes them through an export, which
        carries no acknowledgement back: these are sent, not confirmed (at most once).
        """
        for record in published:
            public = public_copy(record.envelope, record.nats_subject)
            if public:
                await self.nc.publish(public[0], public[1].to_json(),
                                          headers={"Nats-Msg-Id": f"public:{record.envelope.id}"})

    async def _save_position(self, position: int) -> None:
        async with self.pool.acquire() as conn:
            await conn.execute(
                "insert into relay_position (relay, position) values ('outbox', $1)"
                " on conflict (relay) do update set position = excluded.position", position,
            )
        self.position = position

    @staticmethod
    async def _load_position(conn: asyncpg.Connection) -> int:
        return await conn.fetchval("select position from relay_position where relay = 'outbox'") or 0

    async def _sleep_until_woken(self) -> None:
        try:
            await asyncio.wait_for(self._wake.wait(), self.idle_wait)
        except asyncio.TimeoutError:
            pass
        self._wake.clear()

    def _on_notify(self, *_args) -> None:
        self._wake.set()

    def _lock_key(self) -> int:
        return zlib.crc32(f"vidcon-relay:{self.schema}".encode())


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
    import sys

    from shared.logging import configure_logging

    configure_logging("relay")
    asyncio.run(run_relay(sys.argv[1]))
