"""Recordings past the tenant's retention period are deleted on Zoom, each once, as recording.deleted."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from fakes import zoom_webhooks
from fakes.zoom_inprocess import fake_zoom
from provisioning.adapters import resources
from provisioning.adapters.zoom import ZoomClient
from provisioning.domain.meeting import Meeting
from provisioning.service_layer.context import Provisioning
from provisioning.service_layer.execution import delete_expired_recordings
from provisioning.service_layer.outside_calls import make_due_calls
from provisioning.service_layer.webhooks import apply_zoom_event
from shared.db import create_pool, migrate
from shared.events.contracts.provisioning import RecordingDeleted
from shared.eventstore.aggregate import history, load
from tests.integration.test_provisioning_scheduling import approve

MIGRATIONS = Path(__file__).resolve().parents[2] / "services" / "provisioning" / "migrations"
RETENTION_DAYS = 10  # not the default 30: the tenant's own setting must count
T0 = datetime(2030, 3, 4, 2, 0, tzinfo=timezone.utc)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def setup(database_url):
    schema, tenant = f"p{uuid.uuid4().hex[:10]}", f"t{uuid.uuid4().hex[:10]}"
    migrate(database_url, schema, MIGRATIONS)
    pool = await create_pool(database_url, schema)
    async with pool.acquire() as conn:
        for n in (1, 2):
            await resources.put_account(conn, tenant, f"pro-{n}", "zoom", f"pro-{n}@{tenant}.test", "pro")
        await resources.put_settings(conn, tenant, recording_retention_days=RETENTION_DAYS)
    clock = Clock(T0)
    async with fake_zoom() as (url, app):
        zoom = ZoomClient(url, "vidcon-dev", "vidcon-dev", "vidcon-dev-secret")
        ctx = Provisioning({"zoom": zoom}, lambda tenant: "Asia/Makassar", clock=clock)
        yield pool, tenant, ctx, clock, app.state.fake
        await zoom.close()
    await pool.close()


async def recorded_meeting(pool, tenant, ctx, fake) -> Meeting:
    """A meeting with recording permitted, whose recording Zoom reports complete at the clock's now."""
    meeting = await approve(pool, tenant, ctx, str(uuid.uuid4()), special_needs=["recording"])
    on_zoom = fake.meetings[int(meeting.meeting_id)]
    payload = zoom_webhooks.meeting_event(
        "recording.completed", on_zoom, **fake.event_details("recording.completed", on_zoom)
    )
    async with pool.acquire() as conn, conn.transaction():
        assert await apply_zoom_event(conn, ctx, payload) == "applied"
        meeting = await load(conn, Meeting, meeting.id, tenant)
    assert meeting.recording_url and int(meeting.meeting_id) in fake.recordings
    return meeting


async def retention_round(pool, ctx, tenant) -> int:
    """The retention loop's body for one tenant (one transaction around the use case), then the
    outside calls it asked for."""
    async with pool.acquire() as conn, conn.transaction():
        asked = await delete_expired_recordings(conn, ctx, tenant)
    await make_due_calls(pool, ctx)
    return asked


async def deletions(pool, tenant, meeting: Meeting) -> list[RecordingDeleted]:
    async with pool.acquire() as conn:
        return [e for e in await history(conn, Meeting, meeting.id, tenant) if isinstance(e, RecordingDeleted)]


async def test_a_recording_past_retention_is_deleted_on_zoom_and_one_within_is_kept(setup):
    pool, tenant, ctx, clock, fake = setup
    clock.now = T0
    old = await recorded_meeting(pool, tenant, ctx, fake)
    clock.now = T0 + timedelta(days=8)
    recent = await recorded_meeting(pool, tenant, ctx, fake)

    clock.now = T0 + timedelta(days=RETENTION_DAYS, hours=1)
    assert await retention_round(pool, ctx, tenant) == 1

    assert int(old.meeting_id) not in fake.recordings
    assert int(recent.meeting_id) in fake.recordings
    [deleted] = await deletions(pool, tenant, old)
    assert deleted.deleted_at == clock.now and deleted.retention_days == RETENTION_DAYS
    assert deleted.meeting_id == old.meeting_id and deleted.request_id == old.id
    assert await deletions(pool, tenant, recent) == []
    async with pool.acquire() as conn:
        assert (await load(conn, Meeting, old.id, tenant)).recording_deleted
        assert not (await load(conn, Meeting, recent.id, tenant)).recording_deleted


async def test_a_recording_not_yet_past_retention_is_kept(setup):
    pool, tenant, ctx, clock, fake = setup
    clock.now = T0
    meeting = await recorded_meeting(pool, tenant, ctx, fake)

    clock.now = T0 + timedelta(days=RETENTION_DAYS) - timedelta(minutes=1)
    assert await retention_round(pool, ctx, tenant) == 0

    assert int(meeting.meeting_id) in fake.recordings
    assert await deletions(pool, tenant, meeting) == []


async def test_running_the_loop_body_twice_deletes_once(setup):
    pool, tenant, ctx, clock, fake = setup
    clock.now = T0
    meeting = await recorded_meeting(pool, tenant, ctx, fake)
    clock.now = T0 + timedelta(days=RETENTION_DAYS + 1)

    assert await retention_round(pool, ctx, tenant) == 1
    calls = fake.calls
    clock.now += timedelta(hours=1)  # the next round
    assert await retention_round(pool, ctx, tenant) == 0

    assert fake.calls == calls  # Zoom is not asked again
    assert int(meeting.meeting_id) not in fake.recordings
    assert len(await deletions(pool, tenant, meeting)) == 1
