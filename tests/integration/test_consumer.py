"""The consumer base applies each event once, retries failures, and parks poison events."""
from __future__ import annotations

import asyncio
from types import SimpleNamespace

from faststream.nats import NatsBroker

from shared.events import envelope_for, subject_for
from shared.messaging import Consumer, attach
from tests.integration.helpers import wait_until, withdrawn


async def publish(js, tenant: str, request_id: str, reason: str = "") -> str:
    event = withdrawn(request_id, reason)
    envelope = envelope_for(event, tenant=tenant, subject=request_id, stream_version=1,
                            correlation_id="c")
    await js.publish(subject_for(tenant, event), envelope.to_json(),
                     headers={"Nats-Msg-Id": envelope.id})
    return envelope.id


async def effects(pool) -> list[str]:
    return [r["request_id"] for r in await pool.fetch("select request_id from effects order by n")]


async def running_consumer(nats_url, pool, tenant, handle, max_deliver=3) -> NatsBroker:
    await pool.execute("create table if not exists effects (n serial, request_id text)")
    broker = NatsBroker(nats_url, logger=None)
    attach(broker, SimpleNamespace(pool=pool),
           Consumer(service="test", name=tenant, subject=f"vidcon.{tenant}.>", handle=handle,
                    max_deliver=max_deliver))
    await broker.start()
    return broker


async def record(conn, delivery):
    await conn.execute("insert into effects (request_id) values ($1)", delivery.event.request_id)


async def test_a_handler_that_fails_once_gets_the_event_again_and_applies_it_once(
        nats_url, pool, nc, tenant):
    failures = {"left": 1}

    async def flaky(conn, delivery):
        await record(conn, delivery)
        if failures["left"]:
            failures["left"] -= 1
            raise ConnectionError("database blinked")

    broker = await running_consumer(nats_url, pool, tenant, flaky)
    try:
        await publish(nc.jetstream(), tenant, "r1")
        await wait_until(lambda: _equals(effects(pool), ["r1"]))
        await asyncio.sleep(1.0)
        assert await effects(pool) == ["r1"]
        assert failures["left"] == 0
    finally:
        await broker.stop()


async def test_a_redelivered_event_changes_nothing(nats_url, pool, nc, tenant):
    broker = await running_consumer(nats_url, pool, tenant, record)
    try:
        event_id = await publish(nc.jetstream(), tenant, "r1")
        await wait_until(lambda: _equals(effects(pool), ["r1"]))
        envelope = envelope_for(withdrawn("r1"), tenant=tenant, subject="r1", stream_version=1,
                                correlation_id="c", event_id=event_id)
        await nc.jetstream().publish(f"vidcon.{tenant}.intake.request_withdrawn",
                                     envelope.to_json())  # a copy past the duplicate window
        await publish(nc.jetstream(), tenant, "r2")
        await wait_until(lambda: _equals(effects(pool), ["r1", "r2"]))
    finally:
        await broker.stop()


async def test_a_poison_event_lands_in_the_dead_letter_stream_and_later_events_flow(
        nats_url, pool, nc, tenant):
    async def refuse_poison(conn, delivery):
        if delivery.event.reason == "poison":
            raise ValueError("cannot apply this event")
        await record(conn, delivery)

    broker = await running_consumer(nats_url, pool, tenant, refuse_poison, max_deliver=3)
    try:
        poison_id = await publish(nc.jetstream(), tenant, "r1", reason="poison")
        await publish(nc.jetstream(), tenant, "r2")
        await wait_until(lambda: _equals(effects(pool), ["r2"]), timeout=20)
        parked = await nc.jetstream().get_last_msg("VIDCON_DLQ", f"vidcon_dlq.test.{tenant}")
        assert parked.headers["Vidcon-Consumer"] == f"test-{tenant}"
        assert "cannot apply this event" in parked.headers["Vidcon-Error"]
        assert parked.headers["Vidcon-Attempts"] == "3"
        assert poison_id.encode() in parked.data
    finally:
        await broker.stop()


async def test_unreadable_bytes_are_parked_too(nats_url, pool, nc, tenant):
    broker = await running_consumer(nats_url, pool, tenant, record, max_deliver=2)
    try:
        await nc.jetstream().publish(f"vidcon.{tenant}.intake.request_withdrawn", b"not json")
        await publish(nc.jetstream(), tenant, "r2")
        await wait_until(lambda: _equals(effects(pool), ["r2"]), timeout=20)
        parked = await nc.jetstream().get_last_msg("VIDCON_DLQ", f"vidcon_dlq.test.{tenant}")
        assert parked.data == b"not json"
    finally:
        await broker.stop()


async def _equals(awaitable, expected):
    return await awaitable == expected
