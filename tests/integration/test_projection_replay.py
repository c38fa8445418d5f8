"""A projection rebuilt from history equals the live one, and takes over without a gap."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

from faststream.nats import NatsBroker

from reporting.adapters.projections import usage_projection
from reporting.service_layer.handlers import keep_live, register_all
from shared.messaging import Consumer, attach
from shared.events import envelope_for
from shared.projections import rebuild
from shared.tenants import load_tenants
from shared.config import REPO_ROOT
from tests.factories import publish_history
from tests.integration.helpers import wait_until, withdrawn


CATCH_UP_SECONDS = 180
"""A new live consumer reads the whole shared stream first: by the integration tests, every
end-to-end test's events are in it."""


async def live_reporting(nats_url, pool, schema, projection) -> NatsBroker:
    await register_all(pool, {projection.name: projection})
    broker = NatsBroker(nats_url, logger=None)
    attach(broker, SimpleNamespace(pool=pool), Consumer(schema, "usage", "vidcon.>", keep_live(projection)))
    await broker.start()
    return broker


async def table(pool, projection) -> list[tuple]:
    generation = await pool.fetchval("select generation from projections where name = 'usage'")
    rows = await pool.fetch(f"select * from {projection.table(generation)} order by 1, 2, 3, 4")
    return [tuple(row) for row in rows]


async def caught_up(js, durable: str) -> bool:
    """The live consumer has applied (and acknowledged) everything in the stream."""
    info = await js.consumer_info("VIDCON", durable)
    return info.num_pending == 0 and info.num_ack_pending == 0


async def test_a_replayed_projection_equals_the_live_one(nats_url, pool, nc, schema, tenant):
    projection = usage_projection(load_tenants(REPO_ROOT / "tenants"))
    broker = await live_reporting(nats_url, pool, schema, projection)
    js = nc.jetstream()
    try:
        await publish_history(js, [tenant, "kaltara"], 300, seed=3)
        await wait_until(lambda: caught_up(js, f"{schema}-usage"), timeout=CATCH_UP_SECONDS)
        live = await table(pool, projection)
        assert any(row[0] == tenant and row[3] == "meetings_held" for row in live)

        replayed = await rebuild(pool, js, projection)

        assert replayed.read == (await js.stream_info("VIDCON")).state.last_seq
        assert await pool.fetchval("select generation from projections where name = 'usage'") == 2
        assert await table(pool, projection) == live
        assert not await pool.fetchval("select to_regclass('usage_g1') is not null")
    finally:
        await broker.stop()


async def test_a_rebuild_while_events_keep_arriving_loses_and_doubles_nothing(nats_url, pool, nc, schema, tenant):
    projection = usage_projection({})
    broker = await live_reporting(nats_url, pool, schema, projection)
    js = nc.jetstream()
    try:
        await publish_history(js, [tenant], 200, seed=5)
        writer = asyncio.create_task(publish_history(js, [tenant], 400, seed=6))
        await rebuild(pool, js, projection)
        await writer
        await wait_until(lambda: caught_up(js, f"{schema}-usage"), timeout=CATCH_UP_SECONDS)
        after_swap = await table(pool, projection)
        await rebuild(pool, js, projection)
        assert await table(pool, projection) == after_swap
    finally:
        await broker.stop()


async def test_bug_headerless_copy_counted_twice_by_replay(nats_url, pool, nc, schema, tenant):
    """History from before `Vidcon-Position` has no outbox position; a copy of such an event
    republished past the duplicate window counts once in the rebuild, as live counts it."""
    projection = usage_projection({})
    broker = await live_reporting(nats_url, pool, schema, projection)
    js = nc.jetstream()
    try:
        envelope = envelope_for(withdrawn("r1"), tenant=tenant, subject="r1", stream_version=1, correlation_id="c")
        for _ in range(2):
            await js.publish(f"vidcon.{tenant}.intake.request_withdrawn", envelope.to_json())
        await wait_until(lambda: caught_up(js, f"{schema}-usage"), timeout=30)
        mine = [row for row in await table(pool, projection) if row[0] == tenant]
        await rebuild(pool, js, projection)
        assert [row for row in await table(pool, projection) if row[0] == tenant] == mine
        assert [row[4] for row in mine if row[1] == "month" and row[3] == "requests_withdrawn"] == [1]
    finally:
        await broker.stop()
