"""Zoom is called outside the database transactions (issue 11, points 3 and 5): a decision that rolls
back leaves Zoom alone, a worker that dies between call and result makes no twin, and one tenant's
slow Zoom delays only that tenant while two workers share the calls."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import datetime, timedelta, timezone

import httpx
import pytest

from fakes.zoom_inprocess import fake_zoom
from provisioning.adapters import resources
from provisioning.adapters.jitsi import JitsiRooms
from provisioning.adapters.providers import ProviderRefused
from provisioning.adapters.zoom import ZoomClient
from provisioning.domain.meeting import Meeting
from provisioning.service_layer.context import Provisioning
from provisioning.service_layer.handlers import reschedule_request, withdraw_request
from provisioning.service_layer.call_worker import CallWorker
from provisioning.service_layer.outside_calls import claim_next, make, make_and_record, make_due_calls
from shared.db import create_pool, migrate
from shared.events.contracts.intake import RequestRescheduled, RequestWithdrawn
from shared.eventstore.aggregate import history, load
from shared.messaging import Consumer, apply_once
from tests.integration.test_provisioning_scheduling import (  # noqa: F401  (setup is a fixture)
    MIGRATIONS,
    STARTS,
    _then_crash,
    approve,
    approved,
    consumer,
    delivered,
    setup,
    submitted,
)


class Crash(Exception):
    pass


def crashing_after(handler) -> Consumer:
    """The consumer's transaction rolls back after the handler decided (a crash before commit)."""
    return Consumer("provisioning", "requests", "vidcon.>", _then_crash(handler, Crash))


async def meeting_of(pool, tenant: str, request_id: str) -> Meeting:
    async with pool.acquire() as conn:
        return await load(conn, Meeting, request_id, tenant)


async def scheduled_events(pool, tenant: str, request_id: str) -> list:
    async with pool.acquire() as conn:
        return [e for e in await history(conn, Meeting, request_id, tenant) if e.name == "meeting.scheduled"]


async def test_a_withdrawal_rolled_back_after_its_decision_leaves_the_zoom_meeting_and_the_record_agreeing(setup):
    pool, tenant, ctx, fake = setup
    request_id = str(uuid.uuid4())
    before = await approve(pool, tenant, ctx, request_id)
    withdrawal = delivered(
        tenant, RequestWithdrawn(request_id=request_id, reason="acara batal", withdrawn_at=datetime.now(timezone.utc))
    )

    with pytest.raises(Crash):
        await apply_once(pool, crashing_after(withdraw_request(ctx)), withdrawal, 3)
    await make_due_calls(pool, ctx)

    after = await meeting_of(pool, tenant, request_id)
    assert not after.cancelled and after.meeting_id == before.meeting_id
    assert int(before.meeting_id) in fake.meetings  # before: deleted on Zoom while the record kept it
    assert await pool.fetchval("select count(*) from bookings where request_id = $1", request_id) == 1

    await apply_once(pool, consumer(ctx), withdrawal, 3)  # redelivered, committed this time
    await make_due_calls(pool, ctx)
    assert (await meeting_of(pool, tenant, request_id)).cancelled and fake.meetings == {}


async def test_a_reschedule_rolled_back_after_its_decision_leaves_the_zoom_meeting_where_the_record_has_it(setup):
    pool, tenant, ctx, fake = setup
    request_id = str(uuid.uuid4())
    before = await approve(pool, tenant, ctx, request_id)
    later = STARTS + timedelta(days=1)
    moved = delivered(
        tenant,
        RequestRescheduled(
            request_id=request_id,
            starts_at=later,
            ends_at=later + timedelta(hours=2),
            previous_starts_at=STARTS,
            previous_ends_at=STARTS + timedelta(hours=2),
            rescheduled_at=datetime.now(timezone.utc),
        ),
    )

    with pytest.raises(Crash):
        await apply_once(pool, crashing_after(reschedule_request(ctx)), moved, 3)
    await make_due_calls(pool, ctx)

    on_zoom = fake.meetings[int(before.meeting_id)]
    assert on_zoom["start_time"] == STARTS.strftime("%Y-%m-%dT%H:%M:%SZ")  # before: moved on Zoom only
    assert (await meeting_of(pool, tenant, request_id)).starts_at == STARTS


async def test_a_worker_dying_between_the_call_and_its_result_makes_no_second_meeting(setup):
    pool, tenant, ctx, fake = setup
    request_id = str(uuid.uuid4())
    await apply_once(pool, consumer(ctx), delivered(tenant, submitted(request_id)), 1)
    await apply_once(pool, consumer(ctx), delivered(tenant, approved(request_id)), 2)

    dying = await claim_next(pool, ctx, "worker-a", [])
    answer = await make(dying)  # Zoom made the meeting; worker-a dies before recording it
    assert len(fake.meetings) == 1 and (await meeting_of(pool, tenant, request_id)).meeting_id is None
    assert await claim_next(pool, ctx, "worker-b", []) is None  # held by worker-a's lease meanwhile

    await pool.execute("update provider_calls set leased_until = now() - interval '1 second'")  # it runs out
    assert await make_due_calls(pool, ctx, "worker-b") == 1
    assert await make_and_record(pool, ctx, dying) == "lease_lost"  # worker-a's late answer is not recorded

    meeting = await meeting_of(pool, tenant, request_id)
    assert len(fake.meetings) == 1 and meeting.meeting_id == answer.meeting_id == str(next(iter(fake.meetings)))
    assert len(await scheduled_events(pool, tenant, request_id)) == 1
    assert await pool.fetchval("select claimed_by from provider_calls where request_id = $1", request_id) == "worker-b"


class Flaky:
    """The Zoom client, but the first `failures` creates fail with `error` before reaching Zoom."""

    def __init__(self, zoom: ZoomClient, error: Exception, failures: int = 1, refused_hosts: tuple[str, ...] = ()):
        self.zoom, self.error, self.failures, self.refused_hosts = zoom, error, failures, refused_hosts
        self.name = "zoom"

    async def ensure_meeting(self, host, spec, search_hosts):
        if host in self.refused_hosts:
            raise ProviderRefused(f"Zoom menolak (400): host {host} tidak dapat membuat rapat")
        if self.failures:
            self.failures -= 1
            raise self.error
        return await self.zoom.ensure_meeting(host, spec, search_hosts)

    def __getattr__(self, name):
        return getattr(self.zoom, name)


async def test_a_passing_failure_is_tried_again_later_and_then_recorded(setup):
    pool, tenant, ctx, fake = setup
    flaky = Provisioning(
        {"zoom": Flaky(ctx.providers["zoom"], httpx.ConnectError("connection refused"))}, ctx.time_zone_of
    )
    request_id = str(uuid.uuid4())
    meeting = await approve(pool, tenant, flaky, request_id)

    assert meeting.meeting_id is None and meeting.link_being_made and fake.meetings == {}
    waiting = await pool.fetchrow("select state, attempts, due_at > now() as later, last_error from provider_calls")
    assert (waiting["state"], waiting["attempts"], waiting["later"]) == ("pending", 1, True)
    assert "connection refused" in waiting["last_error"]

    await pool.execute("update provider_calls set due_at = now()")  # the backoff has passed
    await make_due_calls(pool, flaky)
    assert (await meeting_of(pool, tenant, request_id)).join_url and len(fake.meetings) == 1


async def test_a_create_refused_for_good_moves_to_another_account_then_releases_the_booking(setup):
    pool, tenant, ctx, fake = setup
    refusing = Flaky(ctx.providers["zoom"], RuntimeError("unused"), failures=0, refused_hosts=(f"pro-1@{tenant}.test",))
    moved = await approve(pool, tenant, Provisioning({"zoom": refusing}, ctx.time_zone_of), str(uuid.uuid4()))
    assert moved.account_id == "pro-2" and moved.meeting_id  # pro-1 refused; pro-2 holds the meeting

    request_id = str(uuid.uuid4())  # same time: pro-2 is taken, pro-1 refuses again
    left = await approve(pool, tenant, Provisioning({"zoom": refusing}, ctx.time_zone_of), request_id)

    async with pool.acquire() as conn:
        events = await history(conn, Meeting, request_id, tenant)
    assert [e.name for e in events][-1] == "host_account.unavailable" and left.waiting_for_link
    assert not left.link_being_made and left.account_id is None
    assert await pool.fetchval("select count(*) from bookings where request_id = $1", request_id) == 0
    assert len(fake.meetings) == 1


@pytest.fixture
async def two_tenants(database_url):
    """One provisioning schema, tenant A with three accounts whose Zoom is slow, tenant B with one."""
    schema, slow, quick = f"p{uuid.uuid4().hex[:10]}", f"a{uuid.uuid4().hex[:9]}", f"b{uuid.uuid4().hex[:9]}"
    migrate(database_url, schema, MIGRATIONS)
    pools = [await create_pool(database_url, schema) for _ in range(2)]
    async with pools[0].acquire() as conn:
        for n in (1, 2, 3):
            await resources.put_account(conn, slow, f"pro-{n}", "zoom", f"pro-{n}@{slow}.test", "pro")
        await resources.put_account(conn, quick, "pro-1", "zoom", f"pro-1@{quick}.test", "pro")
    async with fake_zoom() as (url, app):
        for n in (1, 2, 3):
            app.state.fake.latency[f"pro-{n}@{slow}.test"] = 2.0  # a create there takes 8 s (3 lists, 1 create)
        clients = [ZoomClient(url, "vidcon-dev", "vidcon-dev", "vidcon-dev-secret") for _ in pools]
        contexts = [Provisioning({"zoom": zoom}, lambda tenant: "Asia/Makassar") for zoom in clients]
        yield pools, contexts, slow, quick, app.state.fake
        for zoom in clients:
            await zoom.close()
    for pool in pools:
        await pool.close()


async def wait_for_link(pool, tenant: str, request_id: str, timeout: float) -> float:
    started = time.monotonic()
    while (await meeting_of(pool, tenant, request_id)).meeting_id is None:
        assert time.monotonic() - started < timeout, f"no meeting for {request_id} after {timeout} s"
        await asyncio.sleep(0.1)
    return time.monotonic() - started


async def test_a_slow_zoom_for_one_tenant_delays_only_that_tenant_and_two_workers_share_the_calls(two_tenants):
    pools, contexts, slow, quick, fake = two_tenants
    workers = [
        CallWorker(pool, ctx, f"worker-{n}", concurrency=2, poll_seconds=0.1)
        for n, (pool, ctx) in enumerate(zip(pools, contexts), start=1)
    ]
    running = [asyncio.create_task(worker.run()) for worker in workers]
    try:
        pool, ctx = pools[0], contexts[0]
        slow_ones = []
        for _ in range(3):
            request_id, started = str(uuid.uuid4()), time.monotonic()
            await apply_once(pool, consumer(ctx), delivered(slow, submitted(request_id)), 1)
            await apply_once(pool, consumer(ctx), delivered(slow, approved(request_id)), 2)
            assert time.monotonic() - started < 1.0  # the consumer does not wait on Zoom
            slow_ones.append(request_id)
        quick_one = str(uuid.uuid4())
        await apply_once(pool, consumer(ctx), delivered(quick, submitted(quick_one)), 1)
        await apply_once(pool, consumer(ctx), delivered(quick, approved(quick_one)), 2)

        assert await wait_for_link(pool, quick, quick_one, timeout=4.0) < 4.0
        assert all([(await meeting_of(pool, slow, r)).meeting_id is None for r in slow_ones])  # still waiting
        for request_id in slow_ones:
            await wait_for_link(pool, slow, request_id, timeout=60.0)
    finally:
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)

    makers = await pool.fetch("select tenant, claimed_by from provider_calls where state = 'done'")
    assert {r["claimed_by"] for r in makers if r["tenant"] == slow} == {"worker-1", "worker-2"}
    assert len(fake.meetings) == 4


async def test_jitsi_takes_the_same_path_and_its_refused_stream_is_recorded_as_unavailable(setup):
    pool, _, ctx, fake = setup
    tenant, request_id = f"j{uuid.uuid4().hex[:9]}", str(uuid.uuid4())
    async with pool.acquire() as conn:
        await resources.put_account(conn, tenant, "jitsi-1", "jitsi", "moderator@jitsi.test", "pro")
        await resources.put_settings(
            conn,
            tenant,
            stream_url="rtmp://a.rtmp.youtube.com/live2",
            stream_key="k-1",
            stream_page_url="https://www.youtube.com/@diskominfo/live",
        )
    rooms = JitsiRooms("https://meet.example.go.id", "vidcon", "a-secret-of-at-least-32-bytes-long!!")
    both = Provisioning({"zoom": ctx.providers["zoom"], "jitsi": rooms}, ctx.time_zone_of)

    meeting = await approve(pool, tenant, both, request_id, special_needs=["live_streaming"])

    assert meeting.provider == "jitsi" and meeting.join_url.startswith("https://meet.example.go.id/vidcon-")
    assert meeting.live_stream_problem and "Jitsi tidak mendukung" in meeting.live_stream_problem
    await apply_once(
        pool,
        consumer(both),
        delivered(
            tenant,
            RequestWithdrawn(request_id=request_id, reason="acara batal", withdrawn_at=datetime.now(timezone.utc)),
        ),
        3,
    )
    await make_due_calls(pool, both)
    assert (await meeting_of(pool, tenant, request_id)).cancelled and fake.meetings == {}
    assert (
        await pool.fetchval(
            "select count(*) from provider_calls where request_id = $1 and state = 'pending'", request_id
        )
        == 0
    )


async def test_a_waiting_worker_makes_a_call_as_soon_as_an_approval_asks_for_it_not_at_its_next_poll(setup):
    pool, tenant, ctx, fake = setup
    worker = CallWorker(pool, ctx, "worker-woken", poll_seconds=3600)
    running = asyncio.create_task(worker.run())
    try:
        await asyncio.sleep(0.5)  # it has looked once, found nothing, and waits
        request_id = str(uuid.uuid4())
        await apply_once(pool, consumer(ctx), delivered(tenant, submitted(request_id)), 1)
        await apply_once(pool, consumer(ctx), delivered(tenant, approved(request_id)), 2)

        await wait_for_link(pool, tenant, request_id, timeout=30.0)
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
    assert len(fake.meetings) == 1
