from __future__ import annotations

import asyncio
import contextlib
import time
from datetime import datetime, timezone

from nats.js.api import ConsumerConfig, DeliverPolicy

from shared.db import create_pool, migrate
from shared.events import CloudEvent
from shared.events.contracts import RequestWithdrawn
from shared.eventstore import Causation, append


def withdrawn(request_id: str, reason: str = "") -> RequestWithdrawn:
    return RequestWithdrawn(request_id=request_id, reason=reason, withdrawn_at=datetime.now(timezone.utc))


async def append_withdrawals(pool, schema, tenant, count: int, prefix: str = "r") -> list[CloudEvent]:
    appended = []
    for i in range(count):
        async with pool.acquire() as conn, conn.transaction():
            appended += await append(
                conn,
                schema=schema,
                tenant=tenant,
                stream_id=f"{prefix}{i}",
                expected_version=0,
                events=[withdrawn(f"{prefix}{i}")],
                cause=Causation(correlation_id=f"corr-{prefix}{i}"),
            )
    return appended


async def stream_contents(js, subject: str, expect: int, timeout: float = 15.0) -> list[CloudEvent]:
    """Every message on `subject` in stream order, waiting until at least `expect` arrive."""
    deadline = time.monotonic() + timeout
    while True:
        found = await _read_all(js, subject)
        if len(found) >= expect or time.monotonic() > deadline:
            return found
        await asyncio.sleep(0.2)


async def _read_all(js, subject: str) -> list[CloudEvent]:
    sub = await js.pull_subscribe(
        subject, durable=None, config=ConsumerConfig(deliver_policy=DeliverPolicy.ALL, inactive_threshold=5)
    )
    found = []
    try:
        while True:
            try:
                batch = await sub.fetch(500, timeout=0.5)
            except asyncio.TimeoutError:
                return found
            for msg in batch:
                found.append(CloudEvent.from_json(msg.data))
                await msg.ack()
    finally:
        await sub.unsubscribe()


async def wait_until(predicate, timeout: float = 15.0, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = await predicate()
        if result:
            return result
        await asyncio.sleep(interval)
    raise AssertionError("condition not met in time")


@contextlib.asynccontextmanager
async def migrated_pool(database_url: str, schema: str, *migrations):
    """A pool on a fresh schema holding the event store's and a service's tables."""
    migrate(database_url, schema, *migrations)
    pool = await create_pool(database_url, schema)
    try:
        yield pool
    finally:
        await pool.close()
