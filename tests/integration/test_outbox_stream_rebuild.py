"""The stream is lost and rebuilt from the outboxes: live projections carry on without
skipping or doubling, and a rebuild of each equals the live tables.

The stream is lost as a disk is: the test's own nats-server stops, its JetStream store is
deleted, and it starts again empty (`deny_delete`/`deny_purge` forbid removing messages,
not the stream; the session's server is left alone)."""

from __future__ import annotations

import asyncio
import random
import shutil
from dataclasses import replace
from datetime import timedelta
from types import SimpleNamespace

import orjson
import pytest
from faststream.nats import NatsBroker

from reporting.adapters.projections import projections
from reporting.service_layer.handlers import keep_live, register_all
from shared.config import REPO_ROOT
from shared.db import create_pool, migrate
from shared.embedded import EmbeddedNats
from shared.eventstore import Causation, append
from shared.messaging import Consumer, OutboxRelay, attach, connect_nats, ensure_streams, events_stream_config
from shared.messaging.outbox_rebuild import StreamRebuildRefused, rebuild_stream_from_outboxes
from shared.projections import CounterProjection, rebuild
from shared.tenants import load_tenants
from tests.factories import START, request_life
from tests.integration.helpers import wait_until


class Outboxes:
    """Two services' outboxes: intake's events in one schema, approval's in the other."""

    def __init__(self, schemas: dict[str, str], pools: dict[str, object], tenant: str):
        self.schemas, self.pools, self.tenant = schemas, pools, tenant
        self.rng, self.at = random.Random(31), START

    async def append_lives(self, count: int) -> None:
        for _ in range(count):
            life = request_life(self.tenant, self.at, self.rng)[:3]  # submitted, disposed, decided
            for context, events in (("intake", life[:1]), ("approval", life[1:])):
                async with self.pools[context].acquire() as conn, conn.transaction():
                    await append(
                        conn,
                        schema=self.schemas[context],
                        tenant=self.tenant,
                        stream_id=life[0].request_id,
                        expected_version=0,
                        events=events,
                        cause=Causation(correlation_id="c"),
                    )
            self.at += timedelta(hours=self.rng.randint(1, 200))

    async def relay(self, nc, batch_size: int = 5) -> None:
        """Both relays by turns, a few events each, as two services publish side by side."""
        relays = [
            OutboxRelay(self.pools[context], nc, schema, batch_size=batch_size)
            for context, schema in self.schemas.items()
        ]
        for relay in relays:
            relay.position = await relay.pool.fetchval("select coalesce(max(position), 0) from relay_position")
        while sum([await relay.relay_once() for relay in relays]):
            pass

    async def envelopes(self) -> list[dict]:
        return [
            orjson.loads(row["envelope"])
            for pool in self.pools.values()
            for row in await pool.fetch("select envelope from events order by position")
        ]


class Live:
    """Reporting's live projections, each a durable consumer of the test's own stream."""

    def __init__(self, nats_url: str, pool, schema: str, known: dict):
        self.nats_url, self.pool, self.schema, self.known = nats_url, pool, schema, known

    async def start(self) -> None:
        await register_all(self.pool, self.known)
        self.broker = NatsBroker(self.nats_url, logger=None)
        for name, projection in self.known.items():
            attach(
                self.broker,
                SimpleNamespace(pool=self.pool),
                Consumer(self.schema, f"projection-{name}", "vidcon.>", keep_live(projection)),
            )
        await self.broker.start()

    async def caught_up(self, js) -> None:
        async def applied_all() -> bool:
            for name in self.known:
                info = await js.consumer_info("VIDCON", f"{self.schema}-projection-{name}")
                if info.num_pending or info.num_ack_pending:
                    return False
            return True

        await wait_until(applied_all, timeout=60)

    async def tables(self) -> dict[str, list[tuple]]:
        found = {}
        for name, projection in self.known.items():
            generation = await self.pool.fetchval("select generation from projections where name = $1", name)
            found[name] = sorted(
                tuple(row) for row in await self.pool.fetch(f"select * from {projection.table(generation)}")
            )
        return found


def counted(projection: CounterProjection, envelopes: list[dict]) -> list[tuple]:
    """The truth: every outbox event counted once."""
    totals: dict = {}
    for envelope in envelopes:
        projection.fold(projection.changes(envelope), totals)
    return sorted((*key, value) for key, value in projection.rolled_up(totals).items() if value)


async def lose_the_stream(nats: EmbeddedNats) -> None:
    nats.stop()
    shutil.rmtree(nats.data_dir / "jetstream")
    nats.start()


@pytest.fixture
async def own_nats(tmp_path):
    nats = EmbeddedNats(tmp_path / "nats").start()
    yield nats
    nats.stop()


@pytest.fixture
def outbox_schemas(schema) -> dict[str, str]:
    return {context: f"{schema}_{context}" for context in ("intake", "approval")}


@pytest.fixture
async def outbox_pools(database_url, outbox_schemas):
    pools = {}
    for context, schema in outbox_schemas.items():
        migrate(database_url, schema)
        pools[context] = await create_pool(database_url, schema)
    yield pools
    for pool in pools.values():
        await pool.close()


async def test_a_stream_rebuilt_from_the_outboxes_keeps_projections_exact(
    own_nats, outbox_schemas, outbox_pools, database_url, pool, schema, tenant
):
    known = projections(load_tenants(REPO_ROOT / "tenants"))
    counters = {name: p for name, p in known.items() if isinstance(p, CounterProjection)}
    outboxes = Outboxes(outbox_schemas, outbox_pools, tenant)
    nc = await connect_nats(own_nats.url, name="test")
    js = nc.jetstream()
    await js.add_stream(replace(events_stream_config(), duplicate_window=1.0))
    await ensure_streams(js)
    live = Live(own_nats.url, pool, schema, known)
    await live.start()

    await outboxes.append_lives(40)
    await outboxes.relay(nc)
    await asyncio.sleep(1.5)  # past the duplicate window: intake's relay crashed before saving its position
    await outbox_pools["intake"].execute("update relay_position set position = 0")
    await outboxes.relay(nc)
    await outboxes.append_lives(10)  # the services carry on after the copies
    await outboxes.relay(nc)
    old_last = (await js.stream_info("VIDCON")).state.last_seq
    await live.caught_up(js)
    for name, projection in counters.items():
        assert (await live.tables())[name] == counted(projection, await outboxes.envelopes())

    await live.broker.stop()
    await nc.close()
    await lose_the_stream(own_nats)
    nc = await connect_nats(own_nats.url, name="test")
    js = nc.jetstream()
    republished = await rebuild_stream_from_outboxes(database_url, js, outbox_schemas.values())
    assert republished == 50 * 3 < old_last
    with pytest.raises(StreamRebuildRefused, match="holds 150 messages"):
        await rebuild_stream_from_outboxes(database_url, js, [])

    await live.start()
    await outboxes.append_lives(10)
    await outboxes.relay(nc)
    assert (await js.stream_info("VIDCON")).state.messages == 60 * 3
    await live.caught_up(js)
    tables = await live.tables()
    for name, projection in counters.items():
        assert tables[name] == counted(projection, await outboxes.envelopes())

    await live.broker.stop()
    for projection in known.values():
        await rebuild(pool, js, projection)
    assert await live.tables() == tables
    await nc.close()
