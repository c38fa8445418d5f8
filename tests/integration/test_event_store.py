"""The event store's promises, against a real PostgreSQL."""

from __future__ import annotations

import asyncio

import pytest

from shared.events import MAX_EVENT_BYTES, EventTooLarge
from shared.eventstore import Causation, ConcurrencyError, append, read_after, read_stream
from tests.integration.helpers import withdrawn


async def _append_one(pool, schema, tenant, expected: int, note: str):
    async with pool.acquire() as conn, conn.transaction():
        await append(
            conn,
            schema=schema,
            tenant=tenant,
            stream_id="req-1",
            expected_version=expected,
            events=[withdrawn("req-1", note)],
            cause=Causation("c"),
        )


async def test_two_appends_at_one_expected_version_exactly_one_wins(pool, schema, tenant):
    results = await asyncio.gather(
        _append_one(pool, schema, tenant, 0, "first"),
        _append_one(pool, schema, tenant, 0, "second"),
        return_exceptions=True,
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], ConcurrencyError)
    assert "expected 0" in str(errors[0])
    async with pool.acquire() as conn:
        stream = await read_stream(conn, "req-1")
    assert [e.streamversion for e in stream] == [1]


async def test_append_at_stale_version_names_stream_and_versions(pool, schema, tenant):
    await _append_one(pool, schema, tenant, 0, "a")
    await _append_one(pool, schema, tenant, 1, "b")
    with pytest.raises(ConcurrencyError, match="req-1 is at version 2, not the expected 1"):
        await _append_one(pool, schema, tenant, 1, "c")


async def test_idle_open_append_is_not_skipped_by_a_reader(pool, schema, tenant):
    """Bug class of Marten's 'outstanding sequence gap skips': a reader must not pass an open gap."""
    slow = await pool.acquire()
    tx = slow.transaction()
    await tx.start()
    await append(
        slow,
        schema=schema,
        tenant=tenant,
        stream_id="slow",
        expected_version=0,
        events=[withdrawn("slow")],
        cause=Causation("c"),
    )
    fast = asyncio.create_task(_append_one(pool, schema, tenant, 0, "fast"))
    await asyncio.sleep(0.5)
    async with pool.acquire() as reader:
        assert await read_after(reader, 0, 100) == []
    await tx.commit()
    await pool.release(slow)
    await fast
    async with pool.acquire() as reader:
        seen = await read_after(reader, 0, 100)
    assert [r.envelope.data["request_id"] for r in seen] == ["slow", "req-1"]
    assert seen[0].position < seen[1].position


async def test_append_outside_a_transaction_is_refused(pool, schema, tenant):
    async with pool.acquire() as conn:
        with pytest.raises(RuntimeError, match="inside a transaction"):
            await append(
                conn,
                schema=schema,
                tenant=tenant,
                stream_id="x",
                expected_version=0,
                events=[withdrawn("x")],
                cause=Causation("c"),
            )


async def test_an_event_over_the_size_limit_is_refused_at_append_and_nothing_is_stored(pool, schema, tenant):
    with pytest.raises(
        EventTooLarge,
        match=rf"RequestWithdrawn of stream req-1 is \d+ bytes, over the limit of"
        rf" {MAX_EVENT_BYTES} bytes",
    ):
        await _append_one(pool, schema, tenant, 0, "x" * MAX_EVENT_BYTES)
    await _append_one(pool, schema, tenant, 0, "x" * (MAX_EVENT_BYTES - 1000))
    async with pool.acquire() as conn:
        assert [e.streamversion for e in await read_stream(conn, "req-1")] == [1]


async def test_appending_no_events_only_checks_the_version(pool, schema, tenant):
    await _append_one(pool, schema, tenant, 0, "a")
    async with pool.acquire() as conn, conn.transaction():
        assert (
            await append(
                conn,
                schema=schema,
                tenant=tenant,
                stream_id="req-1",
                expected_version=1,
                events=[],
                cause=Causation("c"),
            )
            == []
        )
        with pytest.raises(ConcurrencyError, match="at version 1, not the expected 0"):
            await append(
                conn,
                schema=schema,
                tenant=tenant,
                stream_id="req-1",
                expected_version=0,
                events=[],
                cause=Causation("c"),
            )
