"""From approval to a Zoom meeting on a free licensed account, against the fake Zoom API."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta, timezone
from pathlib import Path

import pytest

from fakes.zoom_inprocess import fake_zoom
from provisioning.adapters import resources
from provisioning.adapters.zoom import ZoomClient
from provisioning.domain.meeting import Meeting
from provisioning.service_layer.context import Provisioning
from provisioning.service_layer.handlers import remember_request, schedule_approved, withdraw_request
from provisioning.service_layer.outside_calls import make_due_calls
from shared.db import create_pool, migrate
from shared.events import envelope_for
from shared.events.contracts import RequestApproved, RequestSubmitted, StepTiming
from shared.events.contracts.intake import RequestWithdrawn
from shared.eventstore.aggregate import load
from shared.messaging import Consumer, apply_once, dispatch

MIGRATIONS = Path(__file__).resolve().parents[2] / "services" / "provisioning" / "migrations"
STARTS = datetime.combine((datetime.now(timezone.utc) + timedelta(days=5)).date(), time(2, 0), tzinfo=timezone.utc)
"""10:00 in Makassar five days on: a meeting time whose local day is the UTC day, whatever the hour
the tests run (operators on duty on `STARTS.isoweekday()` are on duty for it)."""


@pytest.fixture
async def setup(database_url):
    schema, tenant = f"p{uuid.uuid4().hex[:10]}", f"t{uuid.uuid4().hex[:10]}"
    migrate(database_url, schema, MIGRATIONS)
    pool = await create_pool(database_url, schema)
    async with pool.acquire() as conn:
        for n in (1, 2):
            await resources.put_account(conn, tenant, f"pro-{n}", "zoom", f"pro-{n}@{tenant}.test", "pro")
    async with fake_zoom() as (url, app):
        zoom = ZoomClient(url, "vidcon-dev", "vidcon-dev", "vidcon-dev-secret")
        ctx = Provisioning({"zoom": zoom}, lambda tenant: "Asia/Makassar")
        yield pool, tenant, ctx, app.state.fake
        await zoom.close()
    await pool.close()


def delivered(tenant: str, event, sequence: int = 1) -> bytes:
    return envelope_for(
        event, tenant=tenant, subject=f"x-{event.request_id}", stream_version=1, correlation_id=str(uuid.uuid4())
    ).to_json()


def submitted(request_id: str, special_needs=()) -> RequestSubmitted:
    return RequestSubmitted(
        request_id=request_id,
        tracking_code="T1",
        agency="Bappeda",
        event_name="Rapat Koordinasi",
        starts_at=STARTS,
        ends_at=STARTS + timedelta(hours=2),
        online_only=True,
        channel="web_form",
        contact_ref=str(uuid.uuid4()),
        submitted_at=STARTS - timedelta(days=7),
        special_needs=list(special_needs),
    )


def approved(request_id: str) -> RequestApproved:
    now = datetime.now(timezone.utc)
    return RequestApproved(
        request_id=request_id,
        by="kabid",
        timing=StepTiming(
            step="decide", started_at=now, due_at=now, finished_at=now, met_standard=True, margin_minutes=0
        ),
    )


def consumer(ctx: Provisioning) -> Consumer:
    return Consumer(
        "provisioning",
        "requests",
        "vidcon.>",
        dispatch(
            {
                RequestSubmitted: remember_request,
                RequestApproved: schedule_approved(ctx),
                RequestWithdrawn: withdraw_request(ctx),
            }
        ),
    )


async def approve(pool, tenant, ctx, request_id: str, **submitted_options) -> Meeting:
    """Submitted and approved, and the outside calls the approval asked for made."""
    await apply_once(pool, consumer(ctx), delivered(tenant, submitted(request_id, **submitted_options)), 1)
    await apply_once(pool, consumer(ctx), delivered(tenant, approved(request_id)), 2)
    await make_due_calls(pool, ctx)
    async with pool.acquire() as conn:
        return await load(conn, Meeting, request_id, tenant)


async def test_approval_gives_a_meeting_with_link_on_the_least_loaded_account(setup):
    pool, tenant, ctx, fake = setup
    first = await approve(pool, tenant, ctx, str(uuid.uuid4()))
    second = await approve(pool, tenant, ctx, str(uuid.uuid4()))

    assert first.join_url.startswith("https://zoom.example.test/j/") and first.meeting_id
    assert {first.account_id, second.account_id} == {"pro-1", "pro-2"}
    assert first.window.starts == STARTS - timedelta(minutes=30)
    assert len(fake.meetings) == 2


async def test_an_approval_redelivered_after_a_crash_makes_one_zoom_meeting(setup):
    pool, tenant, ctx, fake = setup
    request_id = str(uuid.uuid4())
    await apply_once(pool, consumer(ctx), delivered(tenant, submitted(request_id)), 1)
    approval = delivered(tenant, approved(request_id))

    class Crash(Exception):
        pass

    crashing = Consumer("provisioning", "requests", "vidcon.>", _then_crash(schedule_approved(ctx), Crash))
    with pytest.raises(Crash):
        await apply_once(pool, crashing, approval, 2)  # our commit never happened
    await make_due_calls(pool, ctx)
    assert len(fake.meetings) == 0  # so nothing was asked of Zoom

    await apply_once(pool, consumer(ctx), approval, 2)
    await apply_once(pool, consumer(ctx), approval, 2)  # and a plain duplicate changes nothing
    await make_due_calls(pool, ctx)

    async with pool.acquire() as conn:
        meeting = await load(conn, Meeting, request_id, tenant)
    assert len(fake.meetings) == 1 and meeting.meeting_id == str(next(iter(fake.meetings)))
    assert meeting.version == 2  # ResourcesBooked, MeetingScheduled


def _then_crash(handler, error):
    async def handle(conn, delivery):
        await handler(conn, delivery)
        raise error()

    return handle


async def test_a_host_at_its_daily_cap_hands_the_meeting_to_another_host(setup):
    pool, tenant, ctx, fake = setup
    fake.caps[f"pro-1@{tenant}.test"] = 0
    fake.caps[f"pro-2@{tenant}.test"] = 5

    meetings = [await approve(pool, tenant, ctx, str(uuid.uuid4())) for _ in range(1)]

    assert meetings[0].account_id == "pro-2" and meetings[0].meeting_id
    assert fake.meetings[int(meetings[0].meeting_id)]["host_email"] == f"pro-2@{tenant}.test"
    async with pool.acquire() as conn:
        capped = await conn.fetchval(
            "select capped from host_daily_usage where tenant = $1 and account_id = 'pro-1'", tenant
        )
    assert capped is True


async def test_no_free_account_names_the_conflicts_and_nearest_free_time(setup):
    pool, tenant, ctx, _ = setup
    for _ in range(2):
        await approve(pool, tenant, ctx, str(uuid.uuid4()))

    third = await approve(pool, tenant, ctx, str(uuid.uuid4()))

    assert third.meeting_id is None
    async with pool.acquire() as conn:
        from shared.eventstore.aggregate import history

        unavailable = (await history(conn, Meeting, third.id, tenant))[-1]
    assert unavailable.conflicting_accounts == ["pro-1", "pro-2"]
    assert unavailable.alternatives[0].free_from == STARTS + timedelta(hours=2, minutes=30)


async def test_withdrawal_deletes_the_zoom_meeting_and_frees_the_account(setup):
    pool, tenant, ctx, fake = setup
    request_id = str(uuid.uuid4())
    await approve(pool, tenant, ctx, request_id)

    withdrawal = RequestWithdrawn(request_id=request_id, reason="acara batal", withdrawn_at=datetime.now(timezone.utc))
    await apply_once(pool, consumer(ctx), delivered(tenant, withdrawal), 3)
    await make_due_calls(pool, ctx)

    async with pool.acquire() as conn:
        meeting = await load(conn, Meeting, request_id, tenant)
        left = await conn.fetchval("select count(*) from bookings where tenant = $1", tenant)
    assert meeting.cancelled and fake.meetings == {} and left == 0


async def test_a_reschedule_moves_the_zoom_meeting_and_its_bookings_keeping_the_link(setup):
    from provisioning.service_layer.handlers import reschedule_request
    from shared.events.contracts.intake import RequestRescheduled

    pool, tenant, ctx, fake = setup
    request_id = str(uuid.uuid4())
    before = await approve(pool, tenant, ctx, request_id)
    later = STARTS + timedelta(days=1)
    moved = RequestRescheduled(
        request_id=request_id,
        starts_at=later,
        ends_at=later + timedelta(hours=3),
        previous_starts_at=STARTS,
        previous_ends_at=STARTS + timedelta(hours=2),
        rescheduled_at=datetime.now(timezone.utc),
    )
    rescheduling = Consumer(
        "provisioning", "requests", "vidcon.>", dispatch({RequestRescheduled: reschedule_request(ctx)})
    )

    await apply_once(pool, rescheduling, delivered(tenant, moved), 3)
    await make_due_calls(pool, ctx)

    async with pool.acquire() as conn:
        after = await load(conn, Meeting, request_id, tenant)
        during = await conn.fetchval(
            "select lower(during) from bookings where tenant = $1 and request_id = $2", tenant, request_id
        )
    zoom_meeting = fake.meetings[int(before.meeting_id)]
    assert after.join_url == before.join_url and after.starts_at == later
    assert zoom_meeting["start_time"] == later.strftime("%Y-%m-%dT%H:%M:%SZ") and zoom_meeting["duration"] == 180
    assert during == later - timedelta(minutes=30)
