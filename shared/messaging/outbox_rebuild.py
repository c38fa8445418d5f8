"""Rebuild the event stream from the services' outboxes, after the stream was lost.

PostgreSQL is the source of truth and JetStream the distribution log (ARCHITECTURE.md: a
server can lose acknowledged writes). Every service's `events` table holds all it ever
published, so a lost `VIDCON` stream is republished from them: each outbox in position
order, outboxes merged by the time each event was recorded (the envelope's `time`), each
event with `Nats-Msg-Id` and `Vidcon-Position` as the relay sends it. Stream sequences
differ from the lost stream's; projections checkpoint on outbox positions, so they carry on.

Refused while a relay runs (it holds its outbox's advisory lock: its events would interleave
out of order) and into a stream that holds messages (everything would be there twice).
Afterwards each relay resumes after the last position republished. A transaction still open
on the server is waited for, so an append it holds is republished too. Public copies for other
agencies are not sent again: their stream lives in the agencies' account.

    vidcon stream rebuild-from-outboxes [schema ...]   (default: every service)
"""

from __future__ import annotations

import asyncio
import heapq
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any, AsyncIterator, Callable, Iterable

import asyncpg
import structlog
from nats.js import JetStreamContext

from shared.db import create_pool
from shared.eventstore import Recorded, advance_relay_position, read_after_settling
from shared.eventstore.settled import Settled
from shared.messaging.positions import publish_headers
from shared.messaging.relay import relay_lock_key
from shared.messaging.streams import EVENTS_STREAM, ensure_streams

log = structlog.get_logger()

BATCH = 1000

Progress = Callable[[int, int], None]


class StreamRebuildRefused(Exception):
    pass


async def rebuild_stream_from_outboxes(
    database_url: str, js: JetStreamContext, schemas: Iterable[str], progress: Progress | None = None
) -> int:
    """Republish every event of `schemas`' outboxes into an empty stream; returns how many.

    `progress(done, of)` hears of each batch published."""
    await _ensure_empty(js)
    async with AsyncExitStack() as held:
        outboxes = {schema: await held.enter_async_context(_outbox_held(database_url, schema)) for schema in schemas}
        total = sum([await conn.fetchval("select count(*) from events") for conn in outboxes.values()])
        reached = await _republish(
            js,
            _merged({s: _recorded(c) for s, c in outboxes.items()}),
            lambda done: (progress or _unheard)(done, total),
        )
        for schema, position in reached.items():
            await advance_relay_position(outboxes[schema], position)
    count = (await js.stream_info(EVENTS_STREAM)).state.messages
    log.info("stream.rebuilt_from_outboxes", events=count, positions=reached)
    return count


def _unheard(done: int, of: int) -> None:
    """Nobody follows this rebuild's progress."""


async def _ensure_empty(js: JetStreamContext) -> None:
    await ensure_streams(js)
    held = (await js.stream_info(EVENTS_STREAM)).state.messages
    if held:
        raise StreamRebuildRefused(
            f"stream {EVENTS_STREAM} holds {held} messages; the rebuild is for a"
            " lost stream (delete it first if it is known to be incomplete)"
        )


@asynccontextmanager
async def _outbox_held(database_url: str, schema: str) -> AsyncIterator[asyncpg.Connection]:
    """A connection to one outbox holding its relay's advisory lock (as OutboxRelay takes it)."""
    key = relay_lock_key(schema)
    pool = await create_pool(database_url, schema, min_size=1, max_size=1)
    try:
        async with pool.acquire() as conn:
            if not await conn.fetchval("select pg_try_advisory_lock($1)", key):
                raise StreamRebuildRefused(f"the relay of {schema!r} is running; stop the services first")
            try:
                yield conn
            finally:
                await conn.execute("select pg_advisory_unlock($1)", key)
    finally:
        await pool.close()


async def _recorded(conn: asyncpg.Connection) -> AsyncIterator[Recorded]:
    position, settled = 0, Settled()
    while batch := await read_after_settling(conn, position, BATCH, settled):
        for record in batch:
            yield record
        position = batch[-1].position


async def _merged(outboxes: dict[str, AsyncIterator[Recorded]]) -> AsyncIterator[tuple[str, Recorded]]:
    """Each outbox in its own order, interleaved by recording time (ties by schema)."""
    heads: list[Any] = []

    async def advance(schema: str) -> None:
        record = await anext(outboxes[schema], None)
        if record is not None:
            heapq.heappush(heads, (record.envelope.time, schema, record.position, record))

    for schema in outboxes:
        await advance(schema)
    while heads:
        *_, schema, _, record = heapq.heappop(heads)
        yield schema, record
        await advance(schema)


async def _republish(
    js: JetStreamContext, records: AsyncIterator[tuple[str, Recorded]], published: Callable[[int], object]
) -> dict[str, int]:
    """Pipelined on one connection, as the relay publishes; the last position per schema."""
    reached: dict[str, int] = {}
    pending, done = [], 0
    async for schema, record in records:
        pending.append(
            await js.publish_async(
                record.nats_subject,
                record.envelope.to_json(),
                headers=publish_headers(record.envelope.id, schema, record.position),
            )
        )
        reached[schema] = record.position
        if len(pending) >= BATCH:
            await asyncio.gather(*pending)
            done, pending = done + len(pending), []
            published(done)
    await asyncio.gather(*pending)
    published(done + len(pending))
    return reached


if __name__ == "__main__":
    import typer

    from shared.cli.stream import rebuild_from_outboxes

    typer.run(rebuild_from_outboxes)  # also `vidcon stream rebuild-from-outboxes`
