"""The three appenders `bench.append` compares; each returns the events/s of `writers`
concurrent writers making `appends` appends in all, on streams new to `round_`."""

from __future__ import annotations

import asyncio
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from typing import Awaitable, Callable
from urllib.parse import urlsplit

import asyncpg

from shared.db import create_pool
from shared.events import envelope_for, subject_for
from shared.events.contracts import RequestWithdrawn
from shared.eventstore import Causation, ConcurrencyError, append

EVENTS_PER_STREAM = 10
TENANT = "bench"


def withdrawal(request_id: str) -> RequestWithdrawn:
    return RequestWithdrawn(request_id=request_id, reason="rapat dibatalkan", withdrawn_at=datetime.now(timezone.utc))


def slots(writer: int, writers: int, appends: int, round_: int) -> list[tuple[str, int]]:
    """(stream, expected version) of each append of one writer."""
    mine = appends // writers + (writer < appends % writers)
    return [(f"r{round_}-w{writer}-s{i // EVENTS_PER_STREAM}", i % EVENTS_PER_STREAM) for i in range(mine)]


async def timed(writers: int, appends: int, write: Callable[[int], Awaitable[None]]) -> float:
    started = time.perf_counter()
    await asyncio.gather(*(write(w) for w in range(writers)))
    return appends / (time.perf_counter() - started)


async def store_rate(url: str, appends: int, writers: int, round_: int) -> float:
    pool = await create_pool(url, "bench_store", min_size=writers, max_size=writers)

    async def write(writer: int) -> None:
        for stream, expected in slots(writer, writers, appends, round_):
            async with pool.acquire() as conn, conn.transaction():
                await append(
                    conn,
                    schema="bench_store",
                    tenant=TENANT,
                    stream_id=stream,
                    expected_version=expected,
                    events=[withdrawal(stream)],
                    cause=Causation(stream),
                )

    try:
        return await timed(writers, appends, write)
    finally:
        await pool.close()


SAMPLE = envelope_for(
    withdrawal("sample"), tenant=TENANT, subject="sample", stream_version=1, correlation_id="sample"
).model_dump_json()
RAW_INSERT = (
    "insert into events (event_id, stream_id, stream_version, tenant, type, nats_subject, envelope)"
    " values ($1, $2, $3, $4, $5, $6, $7::jsonb)"
)


async def raw_append(conn: asyncpg.Connection, stream: str, expected: int) -> None:
    actual = await conn.fetchval("select coalesce(max(stream_version), 0) from events where stream_id = $1", stream)
    if actual != expected:
        raise ConcurrencyError(stream, expected, actual)
    await conn.execute(
        RAW_INSERT,
        uuid.uuid4(),
        stream,
        expected + 1,
        TENANT,
        "withdrawn",
        subject_for(TENANT, RequestWithdrawn),
        SAMPLE,
    )


async def raw_rate(url: str, appends: int, writers: int, round_: int) -> float:
    pool = await create_pool(url, "bench_raw", min_size=writers, max_size=writers)

    async def write(writer: int) -> None:
        for stream, expected in slots(writer, writers, appends, round_):
            async with pool.acquire() as conn, conn.transaction():
                await raw_append(conn, stream, expected)

    try:
        return await timed(writers, appends, write)
    finally:
        await pool.close()


async def eventsourcing_rate(url: str, appends: int, writers: int, round_: int) -> float:
    from eventsourcing.persistence import StoredEvent
    from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore

    address = urlsplit(url)
    conn = await asyncpg.connect(url)
    await conn.execute("create schema if not exists bench_es")
    await conn.close()
    datastore = PostgresDatastore(
        "postgres",
        address.hostname or "127.0.0.1",
        address.port or 5432,
        "postgres",
        "",
        pool_size=writers,
        schema="bench_es",
    )
    recorder = PostgresApplicationRecorder(datastore)
    recorder.create_table()
    state = SAMPLE.encode()

    def write_all(writer: int) -> None:
        ids: dict[str, uuid.UUID] = {}
        for stream, expected in slots(writer, writers, appends, round_):
            originator = ids.setdefault(stream, uuid.uuid4())
            recorder.insert_events(
                [
                    StoredEvent(
                        originator_id=originator,
                        originator_version=expected + 1,
                        topic="bench:RequestWithdrawn",
                        state=state,
                    )
                ]
            )

    loop = asyncio.get_running_loop()
    with ThreadPoolExecutor(writers) as threads:
        try:
            return await timed(writers, appends, lambda w: loop.run_in_executor(threads, write_all, w))
        finally:
            datastore.close()
