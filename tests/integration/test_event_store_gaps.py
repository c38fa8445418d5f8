"""Appends run side by side; a reader by position still never passes an event that a slower
transaction commits later (Marten's bug class 'outstanding sequence gap skips')."""

from __future__ import annotations

import asyncio
import contextlib
import uuid

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from shared.db import create_pool, migrate
from shared.eventstore import Causation, append, read_after
from shared.eventstore.settled import Settled
from shared.messaging import OutboxRelay
from tests.integration.helpers import append_withdrawals, stream_contents, wait_until, withdrawn


async def _append_in(conn, schema: str, tenant: str, stream: str, count: int = 1) -> None:
    await append(
        conn,
        schema=schema,
        tenant=tenant,
        stream_id=stream,
        expected_version=0,
        events=[withdrawn(stream, str(i)) for i in range(count)],
        cause=Causation("c"),
    )


async def _hold_a_transaction_id(conn) -> None:
    """Another write first: the transaction's id is older than those of appends begun later."""
    await conn.execute("insert into processed_events (consumer, event_id) values ('earlier', $1)", uuid.uuid4())


async def test_an_append_by_an_older_transaction_waits_for_a_younger_one_that_took_a_lower_position(
    pool, schema, tenant
):
    async with pool.acquire() as older, pool.acquire() as younger, pool.acquire() as reader:
        older_tx, younger_tx = older.transaction(), younger.transaction()
        await older_tx.start()
        await _hold_a_transaction_id(older)
        await younger_tx.start()
        try:
            await _append_in(younger, schema, tenant, "younger")
            await _append_in(older, schema, tenant, "older")
            await older_tx.commit()
            assert await read_after(reader, 0, 100) == []
        finally:
            await younger_tx.commit()
        seen = await read_after(reader, 0, 100)
    assert [r.envelope.subject for r in seen] == ["younger", "older"]


async def test_reading_the_outbox_inside_a_transaction_is_refused(pool):
    async with pool.acquire() as conn, conn.transaction():
        with pytest.raises(RuntimeError, match="outside a transaction"):
            await read_after(conn, 0, 10)


appender = st.fixed_dictionaries(
    {
        "events": st.integers(1, 3),
        "write_first": st.booleans(),
        "pause_ms": st.integers(0, 30),
        "roll_back": st.booleans(),
    }
)


@pytest.fixture(scope="module")
def gaps_schema(database_url) -> str:
    schema = f"g{uuid.uuid4().hex[:10]}"
    migrate(database_url, schema)
    return schema


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(appender, min_size=2, max_size=16))
def test_a_reader_never_sees_a_position_appear_below_one_it_passed(database_url, gaps_schema, appenders):
    asyncio.run(_race(database_url, gaps_schema, appenders))


async def _race(database_url: str, schema: str, appenders: list[dict]) -> None:
    pool = await create_pool(database_url, schema, min_size=4, max_size=len(appenders) + 2)
    try:
        async with pool.acquire() as conn:
            start = await conn.fetchval("select coalesce(max(position), 0) from events")
        done = asyncio.Event()
        reading = asyncio.create_task(_read_until(pool, start, done))
        await asyncio.gather(*(_append_slowly(pool, schema, plan) for plan in appenders))
        done.set()
        seen = await reading
        async with pool.acquire() as conn:
            assert seen == await _committed(conn, start)
    finally:
        await pool.close()


async def _append_slowly(pool, schema: str, plan: dict) -> None:
    async with pool.acquire() as conn:
        tx = conn.transaction()
        await tx.start()
        if plan["write_first"]:
            await _hold_a_transaction_id(conn)
            await asyncio.sleep(plan["pause_ms"] / 2000)
        await _append_in(conn, schema, "t", f"s-{uuid.uuid4()}", plan["events"])
        await asyncio.sleep(plan["pause_ms"] / 1000)
        await (tx.rollback() if plan["roll_back"] else tx.commit())


async def _read_until(pool, start: int, done: asyncio.Event) -> list[int]:
    """Reads as the relay does; after each read, every position committed up to the last one
    seen must be among those seen (none appeared below it); once the appenders are done,
    reads until nothing is left."""
    seen: list[int] = []
    settled = Settled(start)
    async with pool.acquire() as conn:
        while True:
            finished = done.is_set()
            seen += [r.position for r in await read_after(conn, seen[-1] if seen else start, 1000, settled)]
            assert await _committed(conn, start, seen[-1] if seen else start) == seen
            if finished and not settled.waiting and await _committed(conn, seen[-1] if seen else start) == []:
                return seen
            await asyncio.sleep(0.002)


async def _committed(conn, after: int, upto: int | None = None) -> list[int]:
    return [
        r["position"]
        for r in await conn.fetch(
            "select position from events where position > $1 and ($2::bigint is null or position <= $2)"
            " order by position",
            after,
            upto,
        )
    ]


async def test_the_relay_holds_back_behind_an_open_older_transaction_and_says_so(pool, nc, schema, tenant):
    relay = OutboxRelay(pool, nc, schema, idle_wait=0.2)

    async def relay_shows(position: int, held_back: bool) -> bool:
        return relay.status()["position"] == position and relay.status()["held_back"] == held_back

    running = asyncio.create_task(relay.run())
    try:
        async with pool.acquire() as older, older.transaction():
            await _append_in(older, schema, tenant, "older")
            await append_withdrawals(pool, schema, tenant, 2, prefix="younger")
            await wait_until(lambda: relay_shows(0, held_back=True))
        await wait_until(lambda: relay_shows(3, held_back=False))
        published = await stream_contents(nc.jetstream(), f"vidcon.{tenant}.>", expect=3)
        assert [e.subject for e in published] == ["older", "younger0", "younger1"]
    finally:
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running


async def test_an_open_transaction_that_writes_elsewhere_holds_no_reader_back(pool, schema, tenant):
    """A consumer waiting on a lock, or any long transaction of another table or service, must
    not stall every relay on the server: only writers of this outbox can still take a position."""
    async with pool.acquire() as elsewhere, pool.acquire() as reader:
        async with elsewhere.transaction():
            await _hold_a_transaction_id(elsewhere)
            await append_withdrawals(pool, schema, tenant, 2, prefix="meanwhile")
            seen = await read_after(reader, 0, 100)
    assert [r.envelope.subject for r in seen] == ["meanwhile0", "meanwhile1"]
