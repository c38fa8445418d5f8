"""A replay's reading on the server: it cleans up after itself and outlives a lost consumer."""

from __future__ import annotations

import asyncio

import orjson
import pytest

from shared.projections import Limits, RowProjection, ensure_registered, rebuild
from tests.factories import Outboxes, history, publish_history


class Consumers:
    """The stream as a replay sees it, with the consumers it creates noted; `lose_first_after`
    deletes the first one on the server once that many events were read (as a restarted
    nats-server loses a consumer kept in memory)."""

    def __init__(self, js, lose_first_after: int | None = None):
        self.js, self.created, self.lose_first_after, self.read = js, [], lose_first_after, 0

    def __getattr__(self, name):
        return getattr(self.js, name)

    async def add_consumer(self, stream, config=None, **options):
        info = await self.js.add_consumer(stream, config=config, **options)
        self.created.append(info.name)
        return info

    def counted(self) -> None:
        self.read += 1
        if self.read == self.lose_first_after:
            asyncio.get_running_loop().create_task(self.js.delete_consumer("VIDCON", self.created[0]))


def requests_seen(consumers: Consumers) -> RowProjection:
    def patches(envelope: dict):
        consumers.counted()
        request_id = envelope["data"].get("request_id")
        return [((envelope["tenant"], request_id), {"last": envelope["type"]})] if request_id else []

    return RowProjection("requests_seen", ("tenant", "request_id"), patches)


def requests_in(tenant: str, count: int, seed: int) -> set[str]:
    return {
        orjson.loads(payload)["data"].get("request_id")
        for _, payload, _ in history([tenant], count, seed=seed, outboxes=Outboxes())
    } - {None}


async def rows_of(pool, tenant: str) -> int:
    generation = await pool.fetchval("select generation from projections where name = 'requests_seen'")
    return await pool.fetchval(f"select count(*) from requests_seen_g{generation} where tenant = $1", tenant)


async def test_a_rebuild_leaves_no_consumer_of_its_own_on_the_stream(pool, nc, tenant):
    js = nc.jetstream()
    await publish_history(js, [tenant], 300, seed=21)
    consumers = Consumers(js)

    await rebuild(pool, consumers, requests_seen(consumers))

    assert consumers.created
    left = {info.name for info in await js.consumers_info("VIDCON")}
    assert left.isdisjoint(consumers.created)


async def test_a_replay_whose_consumer_is_lost_reads_on_from_where_it_was(pool, nc, tenant):
    js = nc.jetstream()
    await publish_history(js, [tenant], 1_000, seed=22)
    consumers = Consumers(js, lose_first_after=100)

    limits = Limits(flush_keys=50, pull_batch=50)
    await asyncio.wait_for(rebuild(pool, consumers, requests_seen(consumers), limits=limits), 60)

    assert len(consumers.created) == 2
    assert await rows_of(pool, tenant) == len(requests_in(tenant, 1_000, seed=22))


async def test_a_replay_whose_projection_fails_on_an_event_stops_with_that_error(pool, nc, tenant):
    js = nc.jetstream()
    await publish_history(js, [tenant], 300, seed=23)

    def patches(envelope: dict):
        if envelope["type"].endswith("meeting.held.v1") and envelope["tenant"] == tenant:
            raise TypeError("a projection's own bug")
        return []

    failing = RowProjection("requests_seen", ("tenant", "request_id"), patches)
    async with pool.acquire() as conn:
        await ensure_registered(conn, failing)
    live = await pool.fetchval("select generation from projections where name = 'requests_seen'")

    with pytest.raises(TypeError, match="own bug"):
        await asyncio.wait_for(rebuild(pool, js, failing), 60)
    assert await pool.fetchval("select generation from projections where name = 'requests_seen'") == live
