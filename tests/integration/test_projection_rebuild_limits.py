"""A rebuild's bounds: per-source checkpoints, flat memory, one rebuild at a time, a swap
that gives up instead of waiting forever."""

from __future__ import annotations

import asyncio
import threading
from types import SimpleNamespace

import orjson
import pytest

from shared.projections import (
    Limits,
    ReaderStalled,
    RebuildInProgress,
    RowProjection,
    SwapTimedOut,
    apply_live,
    ensure_registered,
    rebuild,
)
from tests.factories import Outboxes, history, publish_history


def requests_projection() -> RowProjection:
    """One row per request: keys grow with history, as the register's do."""

    def patches(envelope: dict):
        request_id = envelope["data"].get("request_id")
        return [((envelope["tenant"], request_id), {"last": envelope["type"]})] if request_id else []

    return RowProjection("requests_seen", ("tenant", "request_id"), patches)


class Watched:
    """A projection whose writes are counted and may be held at a gate (a thread's event: a
    replay writes on a thread of its own)."""

    def __init__(self, projection):
        self.projection, self.writes, self.gate = projection, [], threading.Event()
        self.gate.set()

    def __getattr__(self, name):
        return getattr(self.projection, name)

    async def write(self, conn, table, folded):
        self.writes.append(len(folded))
        await asyncio.to_thread(self.gate.wait)
        await self.projection.write(conn, table, folded)


async def live_state(pool, name: str) -> tuple[int, str]:
    return tuple(await pool.fetchrow("select generation, positions::text from projections where name = $1", name))


async def test_the_live_checkpoint_is_kept_per_source_by_outbox_position(pool):
    projection = requests_projection()
    envelope = {"tenant": "t", "type": "x", "data": {"request_id": "r1"}}
    async with pool.acquire() as conn:
        await ensure_registered(conn, projection)
        assert await apply_live(conn, projection, envelope, ("/vidcon/intake", 5))
        assert not await apply_live(conn, projection, envelope, ("/vidcon/intake", 5))
        assert not await apply_live(conn, projection, envelope, ("/vidcon/intake", 3))
        assert await apply_live(conn, projection, envelope, ("/vidcon/approval", 1))
        assert await apply_live(conn, projection, envelope, ("stream", 2))
    assert await pool.fetchval("select positions from projections where name = 'requests_seen'") == (
        '{"stream": 2, "/vidcon/intake": 5, "/vidcon/approval": 1}'
    )


async def test_a_replay_writes_at_most_flush_keys_at_a_time(pool, nc, tenant):
    js = nc.jetstream()
    await publish_history(js, [tenant], 3000, seed=11)
    watched = Watched(requests_projection())

    await rebuild(pool, js, watched, limits=Limits(flush_keys=50))

    assert len(watched.writes) > 10
    assert max(watched.writes) < 50 + 5
    requests = {
        orjson.loads(payload)["data"].get("request_id")
        for _, payload, _ in history([tenant], 3000, seed=11, outboxes=Outboxes())
    } - {None}
    assert await pool.fetchval("select count(*) from requests_seen_g2 where tenant = $1", tenant) == len(requests)


async def test_a_second_rebuild_of_one_projection_is_refused(pool, nc, tenant):
    js = nc.jetstream()
    await publish_history(js, [tenant], 300, seed=12)
    first = Watched(requests_projection())
    first.gate.clear()
    running = asyncio.create_task(rebuild(pool, js, first))
    while not first.writes:
        await asyncio.sleep(0.05)

    with pytest.raises(RebuildInProgress, match="requests_seen"):
        await rebuild(pool, js, requests_projection())

    first.gate.set()
    await running
    assert (await live_state(pool, "requests_seen"))[0] == 2
    await rebuild(pool, js, requests_projection())  # the lock went with the first rebuild
    assert (await live_state(pool, "requests_seen"))[0] == 3


async def test_the_swap_gives_up_while_the_live_consumer_holds_the_row_lock(pool, nc, tenant):
    js = nc.jetstream()
    await publish_history(js, [tenant], 200, seed=13)
    projection = requests_projection()
    async with pool.acquire() as conn:
        await ensure_registered(conn, projection)
    before = await live_state(pool, projection.name)
    async with pool.acquire() as stuck, stuck.transaction():
        await stuck.execute("select 1 from projections where name = $1 for update", projection.name)
        with pytest.raises(SwapTimedOut, match="not swapped in after 3 attempts"):
            await asyncio.wait_for(rebuild(pool, js, projection, limits=Limits(lock_timeout=0.2, swap_attempts=3)), 30)
    assert await live_state(pool, projection.name) == before


class StreamAhead:
    """The stream as seen by a reader that can never reach its end (a lost subscription)."""

    def __init__(self, js):
        self.js = js

    def __getattr__(self, name):
        return getattr(self.js, name)

    async def stream_info(self, name):
        info = await self.js.stream_info(name)
        return SimpleNamespace(state=SimpleNamespace(last_seq=info.state.last_seq + 1000))


async def test_catching_up_gives_up_when_the_reader_stops_moving(pool, nc, tenant):
    js = nc.jetstream()
    await publish_history(js, [tenant], 100, seed=14)
    with pytest.raises(ReaderStalled, match="requests_seen"):
        await asyncio.wait_for(rebuild(pool, StreamAhead(js), requests_projection(), limits=Limits(stall=1.0)), 30)
    assert (await live_state(pool, "requests_seen"))[0] == 1
