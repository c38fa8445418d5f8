"""The outbox relay publishes every committed event once, in order, through crashes."""

from __future__ import annotations

import asyncio
import random
import signal
import subprocess
import sys

from shared.messaging import OutboxRelay
from tests.conftest import child_env
from tests.integration.helpers import append_withdrawals, stream_contents, wait_until


def start_relay(database_url, nats_url, schema) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "shared.messaging.relay", schema],
        env=child_env(DATABASE_URL=database_url, NATS_URL=nats_url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def relayed_position(pool) -> int:
    return await pool.fetchval("select position from relay_position") or 0


async def test_events_carry_cloudevents_fields_and_msg_id(pool, nc, schema, tenant):
    appended = await append_withdrawals(pool, schema, tenant, 3)
    await OutboxRelay(pool, nc, schema).relay_once()
    published = await stream_contents(nc.jetstream(), f"vidcon.{tenant}.>", expect=3)
    assert [e.id for e in published] == [e.id for e in appended]
    first = published[0]
    assert (first.specversion, first.source, first.tenant) == ("1.0", "/vidcon/intake", tenant)
    assert first.type == "id.go.vidcon.request.withdrawn.v1"
    assert first.correlationid == "corr-r0" and first.causationid == first.id
    assert first.streamversion == 1 and first.subject == "r0"
    msg = await nc.jetstream().get_last_msg("VIDCON", f"vidcon.{tenant}.intake.request_withdrawn")
    assert msg.headers["Nats-Msg-Id"] == appended[-1].id


async def test_republishing_after_a_lost_position_publishes_nothing_twice(pool, nc, schema, tenant):
    await append_withdrawals(pool, schema, tenant, 5)
    await OutboxRelay(pool, nc, schema).relay_once()
    await pool.execute("delete from relay_position")  # as if killed before saving its position
    await OutboxRelay(pool, nc, schema).relay_once()
    published = await stream_contents(nc.jetstream(), f"vidcon.{tenant}.>", expect=5)
    assert len(published) == 5


async def test_relay_killed_after_commit_before_publish_publishes_once(
    pool, nc, schema, tenant, database_url, nats_url
):
    await append_withdrawals(pool, schema, tenant, 3)
    relay = start_relay(database_url, nats_url, schema)
    await wait_until(lambda: _at_least(pool, 3))
    relay.send_signal(signal.SIGKILL)
    relay.wait()
    appended_while_down = await append_withdrawals(pool, schema, tenant, 2, prefix="late")
    relay = start_relay(database_url, nats_url, schema)
    try:
        published = await stream_contents(nc.jetstream(), f"vidcon.{tenant}.>", expect=5)
        await asyncio.sleep(1.0)
        published = await stream_contents(nc.jetstream(), f"vidcon.{tenant}.>", expect=5)
    finally:
        relay.kill()
        relay.wait()
    assert len(published) == 5
    assert [e.id for e in published[-2:]] == [e.id for e in appended_while_down]


async def test_relay_killed_at_random_moments_loses_and_reorders_nothing(
    pool, nc, schema, tenant, database_url, nats_url
):
    writer = asyncio.create_task(append_withdrawals(pool, schema, tenant, 400))
    rng = random.Random(7)
    for _ in range(4):
        relay = start_relay(database_url, nats_url, schema)
        await asyncio.sleep(rng.uniform(0.6, 1.5))
        relay.send_signal(signal.SIGKILL)
        relay.wait()
    appended = await writer
    relay = start_relay(database_url, nats_url, schema)
    try:
        await wait_until(lambda: _at_least(pool, 400), timeout=30)
    finally:
        relay.kill()
        relay.wait()
    published = await stream_contents(nc.jetstream(), f"vidcon.{tenant}.>", expect=400)
    assert [e.id for e in published] == [e.id for e in appended]


async def _at_least(pool, count: int) -> bool:
    last = await pool.fetchval("select max(position) from events")
    return last is not None and await relayed_position(pool) >= last and last >= count
