"""The inbox stays bounded and every effect still happens exactly once (issue 11, weak point 7):
ignored events leave no row, handled ones raise a mark per consumer and outbox, and only
redriven dead letters and events without a position are remembered by id."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from types import SimpleNamespace

from faststream.nats import NatsBroker

from shared.domain import DomainRuleBroken
from shared.events import envelope_for, subject_for
from shared.events.contracts import RequestVerified, RequestWithdrawn, StepTiming
from shared.messaging import Consumer, Selective, apply_once, attach, dispatch
from shared.messaging.dead_letters import dead_letters, redrive
from shared.messaging.positions import publish_headers
from tests.integration.helpers import wait_until, withdrawn


def verified(request_id: str) -> RequestVerified:
    at = datetime.now(timezone.utc)
    return RequestVerified(
        request_id=request_id,
        by="verifier",
        timing=StepTiming(step="verify", started_at=at, due_at=at, finished_at=at, met_standard=True, margin_minutes=0),
    )


class Outboxes:
    """Publishes as relays do: `Vidcon-Position` per outbox, `Nats-Msg-Id` the event id unless
    told otherwise (a copy published again after JetStream's duplicate window)."""

    def __init__(self, js, tenant: str):
        self.js, self.tenant, self.sent = js, tenant, {}

    async def publish(self, outbox: str, position: int, event=None, msg_id: str | None = None):
        """`event` at `position`; without one, the event sent there before, again."""
        event, envelope = self.sent.get((outbox, position)) or (
            event,
            envelope_for(event, tenant=self.tenant, subject=event.request_id, stream_version=1, correlation_id="c"),
        )
        self.sent[(outbox, position)] = event, envelope
        headers = publish_headers(envelope.id, outbox, position)
        if msg_id:
            headers["Nats-Msg-Id"] = msg_id
        ack = await self.js.publish(subject_for(self.tenant, event), envelope.to_json(), headers=headers)
        return envelope, ack.seq, headers


def recording(who: str, refuse_until: asyncio.Event | None = None):
    async def record(conn, delivery):
        if refuse_until is not None and delivery.event.reason == "needs-fix" and not refuse_until.is_set():
            raise DomainRuleBroken("reason", "not supported yet")
        await conn.execute("insert into effects (who, request_id) values ($1, $2)", who, delivery.event.request_id)

    return dispatch({RequestWithdrawn: record})


async def started(nats_url, pool, *consumers: Consumer) -> NatsBroker:
    await pool.execute("create table if not exists effects (n serial, who text, request_id text)")
    broker = NatsBroker(nats_url, logger=None)
    for consumer in consumers:
        attach(broker, SimpleNamespace(pool=pool), consumer)
    await broker.start()
    return broker


def wildcard(tenant: str, who: str, handle) -> Consumer:
    return Consumer(
        service="test",
        name=f"{tenant}-{who}",
        subject=f"vidcon.{tenant}.>",
        handle=handle,
        retry_first=0.1,
        retry_cap=0.2,
    )


async def effects(pool, who: str) -> list[str]:
    return [r["request_id"] for r in await pool.fetch("select request_id from effects where who = $1 order by n", who)]


def reached(pool, who: str, request_id: str):
    async def check() -> bool:
        return request_id in await effects(pool, who)

    return check


async def inbox_rows(pool) -> int:
    return await pool.fetchval("select count(*) from processed_events")


async def marks(pool) -> dict[tuple[str, str], int]:
    return {
        (r["consumer"], r["outbox"]): r["position"]
        for r in await pool.fetch("select consumer, outbox, position from consumer_positions")
    }


async def test_a_wildcard_consumer_leaves_no_row_for_what_it_ignores_and_one_mark_per_outbox(
    nats_url, pool, nc, tenant, schema
):
    consumer = wildcard(tenant, "w", recording("w"))
    out = Outboxes(nc.jetstream(), tenant)
    broker = await started(nats_url, pool, consumer)
    try:
        handled = []
        for position in range(1, 41):
            outbox = f"{schema}_a" if position % 2 else f"{schema}_b"
            if position % 8 == 0:
                await out.publish(outbox, position, withdrawn(f"r{position}"))
                handled.append(f"r{position}")
            else:
                await out.publish(outbox, position, verified(f"v{position}"))
        await wait_until(lambda: _equal(effects(pool, "w"), handled))
        assert len(handled) == 5  # 35 ignored
        assert await inbox_rows(pool) == 0
        assert await marks(pool) == {(consumer.durable, f"{schema}_b"): 40}  # handled ones were all in b
    finally:
        await broker.stop()


async def test_each_effect_happens_once_through_redelivery_republishing_and_redriving_twice(
    nats_url, pool, nc, tenant, schema
):
    fixed, js = asyncio.Event(), nc.jetstream()
    parker = wildcard(tenant, "x", recording("x", refuse_until=fixed))
    other = wildcard(tenant, "y", recording("y"))
    out, a, b = Outboxes(js, tenant), f"{schema}_a", f"{schema}_b"
    broker = await started(nats_url, pool, parker, other)
    try:
        event, sequence, headers = await out.publish(a, 1, withdrawn("e1", reason="needs-fix"))
        await out.publish(b, 1, withdrawn("s1"))
        await wait_until(reached(pool, "x", "s1"))
        await wait_until(reached(pool, "y", "s1"))
        [letter] = await wait_until(lambda: _list(dead_letters(js, parker.durable)))
        fixed.set()

        # the same message delivered again (same stream sequence): nothing more for either
        assert await apply_once(pool, other, event.to_json(), sequence, headers) is False
        assert await apply_once(pool, parker, event.to_json(), sequence, headers) is False

        # a relay publishing it again after the duplicate window: a new stream sequence, same position
        _, again, _ = await out.publish(a, 1, msg_id="republished-after-window")
        assert again > sequence
        await out.publish(b, 2, withdrawn("s2"))
        await wait_until(reached(pool, "x", "s2"))
        await wait_until(reached(pool, "y", "s2"))
        assert "e1" not in await effects(pool, "x")  # parked: only its redrive brings it back

        # the dead letter redriven twice: applied by the consumer that parked it, once
        await redrive(js, letter)
        await redrive(js, letter)
        await out.publish(b, 3, withdrawn("s3"))
        await wait_until(reached(pool, "x", "s3"))
        await wait_until(reached(pool, "y", "s3"))
        await asyncio.sleep(0.3)
        assert await effects(pool, "x") == ["s1", "s2", "e1", "s3"]
        assert await effects(pool, "y") == ["e1", "s1", "s2", "s3"]

        assert await inbox_rows(pool) == 1  # the redriven event, for the consumer that parked it
        assert await marks(pool) == {
            (parker.durable, a): 1,
            (parker.durable, b): 3,
            (other.durable, a): 1,
            (other.durable, b): 3,
        }
    finally:
        await broker.stop()


async def test_an_event_applied_before_the_marks_existed_is_not_applied_again(pool, tenant, schema):
    await pool.execute("create table if not exists effects (n serial, who text, request_id text)")
    consumer, outbox = wildcard(tenant, "old", recording("old")), f"{schema}_a"
    before = {
        p: envelope_for(withdrawn(f"r{p}"), tenant=tenant, subject=f"r{p}", stream_version=1, correlation_id="c")
        for p in (5, 6, 7)
    }
    for envelope in before.values():  # what the inbox held after the old consumer applied them
        await pool.execute(
            "insert into processed_events (consumer, event_id) values ($1, $2)", consumer.durable, envelope.id
        )

    async def deliver(position: int, sequence: int, envelope=None) -> bool:
        envelope = envelope or before[position]
        return await apply_once(
            pool, consumer, envelope.to_json(), sequence, publish_headers(envelope.id, outbox, position)
        )

    # a relay republishing its tail after the upgrade, in its order: none of them again
    assert [await deliver(5, 100), await deliver(6, 101), await deliver(7, 102)] == [False, False, False]
    fresh = envelope_for(withdrawn("r8"), tenant=tenant, subject="r8", stream_version=1, correlation_id="c")
    assert await deliver(8, 103, fresh) is True
    assert await deliver(6, 104) is False
    assert await effects(pool, "old") == ["r8"]
    assert await inbox_rows(pool) == 3  # nothing added
    assert await marks(pool) == {(consumer.durable, outbox): 8}


def test_handlers_say_which_events_they_handle():
    handler = dispatch({RequestWithdrawn: recording("z")})
    assert isinstance(handler, Selective)
    assert handler.handles(withdrawn("r")) and not handler.handles(verified("r"))


async def _equal(awaitable, expected) -> bool:
    return await awaitable == expected


async def _list(iterator) -> list:
    return [item async for item in iterator]
