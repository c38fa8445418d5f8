"""The consumer base applies each event once, waits out transient failures without skipping
ahead, and parks the events that are at fault themselves."""

from __future__ import annotations

import asyncio
import json
from types import SimpleNamespace

from faststream.nats import NatsBroker
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from shared.db import create_pool, migrate
from shared.domain import DomainRuleBroken
from shared.embedded import EmbeddedNats
from shared.events import MAX_EVENT_BYTES, envelope_for, subject_for
from shared.messaging import Consumer, attach, connect_nats
from shared.messaging.consumer import lift_delivery_limits
from shared.messaging.dead_letters import DeadLetter, dead_letters
from shared.messaging.streams import dead_letter_stream_config, events_stream_config
from tests.integration.helpers import wait_until, withdrawn
from tests.integration.test_relay_faults import own_postgres  # noqa: F401  (a fixture)


def envelope(tenant: str, request_id: str, reason: str = "", envelope_tenant: str | None = None):
    return envelope_for(
        withdrawn(request_id, reason),
        tenant=envelope_tenant or tenant,
        subject=request_id,
        stream_version=1,
        correlation_id="c",
    )


def subject(tenant: str) -> str:
    return subject_for(tenant, withdrawn("r"))


def unread_subject(tenant: str) -> str:
    """Where poison goes: a subject no projection reads. Rebuild tests replay the whole shared
    stream against a live projection, and a rebuild counts an event that is schema-invalid or
    oversize where the live consumer parks it."""
    return f"vidcon.{tenant}.test.poison"


async def publish(js, tenant: str, request_id: str, reason: str = "", envelope_tenant: str | None = None) -> str:
    event = envelope(tenant, request_id, reason, envelope_tenant)
    await js.publish(subject(tenant), event.to_json(), headers={"Nats-Msg-Id": event.id})
    return event.id


async def publish_raw(js, tenant: str, data: bytes) -> None:
    await js.publish(subject(tenant), data)


async def effects(pool) -> list[str]:
    return [r["request_id"] for r in await pool.fetch("select request_id from effects order by n")]


def consumer_of(tenant: str, handle, retry_cap: float = 0.2) -> Consumer:
    return Consumer(
        service="test", name=tenant, subject=f"vidcon.{tenant}.>", handle=handle, retry_first=0.1, retry_cap=retry_cap
    )


async def running_consumer(nats_url, pool, tenant, handle, tenants=None, retry_cap=0.2) -> NatsBroker:
    await pool.execute("create table if not exists effects (n serial, request_id text)")
    broker = NatsBroker(nats_url, logger=None)
    holder = SimpleNamespace(pool=pool) if tenants is None else SimpleNamespace(pool=pool, tenants=tenants)
    attach(broker, holder, consumer_of(tenant, handle, retry_cap))
    await broker.start()
    return broker


async def record(conn, delivery):
    await conn.execute("insert into effects (request_id) values ($1)", delivery.event.request_id)


async def parked(js, tenant: str) -> list[DeadLetter]:
    return [letter async for letter in dead_letters(js, f"test-{tenant}")]


def applied(pool, expected: list[str]):
    async def check() -> bool:
        return await effects(pool) == expected

    return check


async def test_a_handler_that_fails_once_gets_the_event_again_and_applies_it_once(nats_url, pool, nc, tenant):
    failures = {"left": 1}

    async def flaky(conn, delivery):
        await record(conn, delivery)
        if failures["left"]:
            failures["left"] -= 1
            raise ConnectionError("database blinked")

    broker = await running_consumer(nats_url, pool, tenant, flaky)
    try:
        await publish(nc.jetstream(), tenant, "r1")
        await wait_until(applied(pool, ["r1"]))
        await asyncio.sleep(1.0)
        assert await effects(pool) == ["r1"]
        assert failures["left"] == 0
    finally:
        await broker.stop()


async def test_a_redelivered_event_changes_nothing(nats_url, pool, nc, tenant):
    broker = await running_consumer(nats_url, pool, tenant, record)
    try:
        event_id = await publish(nc.jetstream(), tenant, "r1")
        await wait_until(applied(pool, ["r1"]))
        copy = envelope_for(
            withdrawn("r1"), tenant=tenant, subject="r1", stream_version=1, correlation_id="c", event_id=event_id
        )
        await nc.jetstream().publish(subject(tenant), copy.to_json())  # a copy past the duplicate window
        await publish(nc.jetstream(), tenant, "r2")
        await wait_until(applied(pool, ["r1", "r2"]))
    finally:
        await broker.stop()


# Transient failures: retried as long as it takes, nothing skips ahead -----------------------


async def test_a_failure_that_is_not_the_events_fault_is_retried_past_any_count_and_nothing_skips_ahead(
    nats_url, pool, nc, tenant
):
    failures = {"left": 12}

    async def down_for_a_while(conn, delivery):
        if delivery.event.request_id == "r1" and failures["left"]:
            failures["left"] -= 1
            raise TimeoutError("Zoom did not answer")
        await record(conn, delivery)

    broker = await running_consumer(nats_url, pool, tenant, down_for_a_while)
    try:
        await publish(nc.jetstream(), tenant, "r1")
        await publish(nc.jetstream(), tenant, "r2")
        await asyncio.sleep(0.5)
        assert await effects(pool) == []  # r2 waits behind r1
        await wait_until(applied(pool, ["r1", "r2"]), timeout=20)
        assert failures["left"] == 0
        assert await parked(nc.jetstream(), tenant) == []
    finally:
        await broker.stop()


async def test_a_consumer_made_when_deliveries_were_limited_loses_its_limit_and_skips_nothing(
    nats_url, pool, nc, tenant
):
    failures = {"left": 7}

    async def down_for_a_while(conn, delivery):
        if delivery.event.request_id == "r1" and failures["left"]:
            failures["left"] -= 1
            raise ConnectionError("database blinked")
        await record(conn, delivery)

    js = nc.jetstream()
    await js.add_consumer(
        "VIDCON",
        ConsumerConfig(  # as the consumer base made them before issue 11
            durable_name=f"test-{tenant}",
            filter_subject=f"vidcon.{tenant}.>",
            max_deliver=5,
            ack_wait=30,
            max_ack_pending=1,
            ack_policy=AckPolicy.EXPLICIT,
            deliver_policy=DeliverPolicy.ALL,
        ),
    )
    await lift_delivery_limits(js, [consumer_of(tenant, down_for_a_while)])
    assert (await js.consumer_info("VIDCON", f"test-{tenant}")).config.max_deliver == -1
    broker = await running_consumer(nats_url, pool, tenant, down_for_a_while)
    try:
        await publish(js, tenant, "r1")
        await publish(js, tenant, "r2")
        await wait_until(applied(pool, ["r1", "r2"]), timeout=20)
        assert failures["left"] == 0
    finally:
        await broker.stop()


async def test_postgresql_down_for_15_seconds_parks_nothing_and_every_event_is_applied_once(
    own_postgres, nats_url, nc, schema, tenant
):  # noqa: F811
    await asyncio.to_thread(migrate, own_postgres.url, schema)
    pool = await create_pool(own_postgres.url, schema)
    js = nc.jetstream()
    broker = await running_consumer(nats_url, pool, tenant, record, retry_cap=1.0)
    try:
        await publish(js, tenant, "before")
        await wait_until(applied(pool, ["before"]))
        await asyncio.to_thread(own_postgres.kill)
        for n in range(3):
            await publish(js, tenant, f"during{n}")
        await asyncio.sleep(15)
        await asyncio.to_thread(own_postgres.start)
        await publish(js, tenant, "after")
        expected = ["before", "during0", "during1", "during2", "after"]
        await wait_until(applied(pool, expected), timeout=20)
        await asyncio.sleep(0.5)
        assert await effects(pool) == expected
        assert await parked(js, tenant) == []
    finally:
        await broker.stop()
        await pool.close()


# Permanent failures: parked at once, with why, and the rest flows ---------------------------


async def test_a_schema_invalid_event_is_parked_at_once_with_its_error_and_later_events_flow(
    nats_url, pool, nc, tenant
):
    js = nc.jetstream()
    broker = await running_consumer(nats_url, pool, tenant, record)
    try:
        poison = json.loads(envelope(tenant, "r1").to_json())
        del poison["data"]["request_id"]
        await js.publish(unread_subject(tenant), json.dumps(poison).encode(), headers={"Nats-Msg-Id": poison["id"]})
        await publish(js, tenant, "r2")
        await wait_until(applied(pool, ["r2"]))
        [letter] = await wait_until(lambda: parked(js, tenant))
        assert letter.consumer == f"test-{tenant}"
        assert "request_id" in letter.error and "Field required" in letter.error
        assert letter.attempts == 1
        assert letter.subject == unread_subject(tenant)
        assert letter.headers == {"Nats-Msg-Id": poison["id"]}
        assert json.loads(letter.data) == poison
        assert "ValidationError" in letter.traceback
    finally:
        await broker.stop()


async def test_unreadable_bytes_are_parked_too(nats_url, pool, nc, tenant):
    js = nc.jetstream()
    broker = await running_consumer(nats_url, pool, tenant, record)
    try:
        await publish_raw(js, tenant, b"not json")
        await publish(js, tenant, "r2")
        await wait_until(applied(pool, ["r2"]))
        [letter] = await wait_until(lambda: parked(js, tenant))
        assert letter.data == b"not json" and "Undecodable" in letter.error
    finally:
        await broker.stop()


async def test_an_event_that_breaks_a_domain_rule_is_parked(nats_url, pool, nc, tenant):
    async def refuse_poison(conn, delivery):
        if delivery.event.reason == "poison":
            raise DomainRuleBroken("reason", "cannot apply this event")
        await record(conn, delivery)

    js = nc.jetstream()
    broker = await running_consumer(nats_url, pool, tenant, refuse_poison)
    try:
        await publish(js, tenant, "r1", reason="poison")
        await publish(js, tenant, "r2")
        await wait_until(applied(pool, ["r2"]))
        [letter] = await wait_until(lambda: parked(js, tenant))
        assert "cannot apply this event" in letter.error and letter.attempts == 1
    finally:
        await broker.stop()


async def test_an_event_for_a_tenant_the_department_does_not_serve_is_parked(nats_url, pool, nc, tenant):
    js = nc.jetstream()
    broker = await running_consumer(nats_url, pool, tenant, record, tenants={tenant: object()})
    try:
        await publish(js, tenant, "r1", envelope_tenant="ghost")
        await publish(js, tenant, "r2")
        await wait_until(applied(pool, ["r2"]))
        [letter] = await wait_until(lambda: parked(js, tenant))
        assert "UnknownTenant" in letter.error and "'ghost'" in letter.error
    finally:
        await broker.stop()


async def test_an_event_over_the_size_limit_on_the_wire_is_parked(nats_url, pool, nc, tenant):
    js = nc.jetstream()
    broker = await running_consumer(nats_url, pool, tenant, record)
    try:
        oversize = envelope(tenant, "r1", reason="x" * MAX_EVENT_BYTES)
        await js.publish(unread_subject(tenant), oversize.to_json())
        await publish(js, tenant, "r2")
        await wait_until(applied(pool, ["r2"]))
        [letter] = await wait_until(lambda: parked(js, tenant))
        assert "EventTooLarge" in letter.error and f"limit of {MAX_EVENT_BYTES} bytes" in letter.error
    finally:
        await broker.stop()


async def test_an_event_whose_dead_letter_cannot_be_stored_is_not_acknowledged(tmp_path, pool, tenant):
    own_nats = await asyncio.to_thread(EmbeddedNats(tmp_path / "nats").start)
    nc = await connect_nats(own_nats.url, name="test")
    js = nc.jetstream()
    await js.add_stream(events_stream_config())  # no dead-letter stream: parking fails
    broker = await running_consumer(own_nats.url, pool, tenant, record)
    try:
        await publish_raw(js, tenant, b"not json")
        await publish(js, tenant, "r2")
        await asyncio.sleep(2.0)
        assert await effects(pool) == []  # the unparked event was not acknowledged: r2 waits
        [info] = await js.consumers_info("VIDCON")
        assert info.num_ack_pending == 1 and info.num_redelivered == 1
        await js.add_stream(dead_letter_stream_config())
        await wait_until(applied(pool, ["r2"]))
        [letter] = await parked(js, tenant)
        assert letter.data == b"not json" and letter.attempts > 1
    finally:
        await broker.stop()
        await nc.close()
        await asyncio.to_thread(own_nats.stop)
