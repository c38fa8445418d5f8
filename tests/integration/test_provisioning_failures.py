"""Tidak terlaksana: recorded on today's page or the API, or by the clock when no link came in time; once each."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from provisioning.bootstrap import SPEC
from provisioning.service_layer import execution
from provisioning.service_layer.context import Provisioning
from provisioning.service_layer.failures import fail_meetings_without_link
from shared.config import Settings
from shared.events.contracts.provisioning import MeetingFailed
from shared.messaging import OutboxRelay
from shared.runtime import service_app
from tests.auth import access_token, bearer, browser_login
from tests.integration.helpers import stream_contents
from tests.integration.provisioning_support import desk

WITA = ZoneInfo("Asia/Makassar")
STARTS = datetime(2026, 12, 2, 9, 0, tzinfo=WITA)
PROVISIONING = "http://provisioning"


@pytest.fixture
async def kaltara(database_url):
    async with desk(database_url, "kaltara", tenant="kaltara") as kaltara:
        yield kaltara


@pytest.fixture
async def browser(kaltara, identity_issuer):
    """The provisioning service at the desk's clock, against the real local OIDC provider."""
    app = service_app(SPEC, Settings(oidc_issuer=identity_issuer, secure_cookies=False))
    app.state.runtime.pool, app.state.runtime.extras["provisioning"] = kaltara.pool, kaltara.ctx
    async with httpx.AsyncClient(mounts={PROVISIONING: httpx.ASGITransport(app=app)}) as http:
        yield http


def failures(events) -> list[MeetingFailed]:
    return [e for e in events if isinstance(e, MeetingFailed)]


async def test_the_team_marks_a_meeting_failed_on_todays_page(kaltara, browser, nc):
    request_id = await kaltara.approve(starts=STARTS, approved_at=STARTS - timedelta(days=1))
    zoom_id = int((await kaltara.events(request_id))[1].meeting_id)
    kaltara.clock.now = STARTS - timedelta(hours=1)
    csrf = await browser_login(browser, PROVISIONING, "technical_team@kaltara")
    today = (await browser.get(f"{PROVISIONING}/t/kaltara/hari-ini")).text
    assert f"/rapat/{request_id}/tidak-terlaksana" in today and "Peralatan tidak tersedia" in today

    form = {"csrf_token": csrf, "hari": "2026-12-02", "alasan": "equipment_missing", "catatan": "Proyektor rusak"}
    marked = await browser.post(f"{PROVISIONING}/t/kaltara/rapat/{request_id}/tidak-terlaksana", data=form)
    assert marked.status_code == 303 and marked.headers["location"].endswith(f"#rapat-{request_id}")
    shown = (await browser.get(f"{PROVISIONING}{marked.headers['location']}")).text
    assert "Rapat dicatat tidak terlaksana: Peralatan tidak tersedia." in shown
    card = shown[shown.index(f'id="rapat-{request_id}"') :]
    assert "Tidak terlaksana" in card and "Proyektor rusak" in card and "/tidak-terlaksana" not in card

    again = await browser.post(f"{PROVISIONING}/t/kaltara/rapat/{request_id}/tidak-terlaksana", data=form)
    told = (await browser.get(f"{PROVISIONING}{again.headers['location']}")).text
    assert "rapat sudah dicatat tidak terlaksana" in told
    assert zoom_id in kaltara.zoom.meetings  # deleted after the commit, by the outside calls
    await kaltara.make_calls()

    events = await kaltara.events(request_id)
    [failed] = failures(events)
    assert (failed.reason, failed.note, failed.by) == ("equipment_missing", "Proyektor rusak", "technical_team@kaltara")
    assert failed.failed_at == kaltara.clock.now and failed.meeting_id == str(zoom_id)
    assert events[-1].name == "meeting.cancelled" and zoom_id not in kaltara.zoom.meetings
    assert await kaltara.pool.fetchval("select count(*) from bookings where request_id = $1", request_id) == 0

    await OutboxRelay(kaltara.pool, nc, kaltara.schema).relay_once()
    published = await stream_contents(nc.jetstream(), "vidcon.kaltara.provisioning.meeting_failed", expect=1)
    assert [e.data["reason"] for e in published if e.data["request_id"] == request_id] == ["equipment_missing"]


async def test_the_api_refuses_a_failure_once_the_meeting_is_held(kaltara, browser, identity_issuer):
    request_id = await kaltara.approve(starts=STARTS, approved_at=STARTS - timedelta(days=1))
    kaltara.clock.now = STARTS + timedelta(hours=3)
    async with kaltara.pool.acquire() as conn, conn.transaction():
        await execution.record_held(
            conn,
            kaltara.ctx,
            "kaltara",
            request_id,
            {"started_at": STARTS, "ended_at": STARTS + timedelta(hours=2), "attendance": 12},
            "c-1",
        )

    token = bearer(await access_token(identity_issuer, "technical_team@kaltara"))
    refused = await browser.post(
        f"{PROVISIONING}/api/kaltara/meetings/{request_id}/failed", json={"reason": "not_held"}, headers=token
    )

    assert refused.status_code == 409 and "rapat sudah dilaporkan terlaksana" in refused.json()["message"]
    assert failures(await kaltara.events(request_id)) == []


async def test_no_account_free_until_the_start_fails_the_request_once_with_no_link_in_time(kaltara):
    linked = await kaltara.approve(starts=STARTS, approved_at=STARTS - timedelta(days=1))
    unlinked = await kaltara.approve(starts=STARTS, approved_at=STARTS - timedelta(days=1))  # one account only
    kaltara.clock.now = STARTS - timedelta(minutes=1)
    assert await fail_meetings_without_link(kaltara.pool, kaltara.ctx) == 0

    kaltara.clock.now = STARTS + timedelta(minutes=1)
    assert await fail_meetings_without_link(kaltara.pool, kaltara.ctx) == 1
    assert await fail_meetings_without_link(kaltara.pool, kaltara.ctx) == 0  # the next round
    await kaltara.deliver_approval(unlinked, STARTS - timedelta(days=1))  # a redelivered approval
    await kaltara.pool.execute("update requests set link_checked = false")  # a restart that lost its place
    restarted = Provisioning(kaltara.ctx.providers, kaltara.ctx.time_zone_of, kaltara.ctx.clock, kaltara.ctx.profile_of)
    assert await fail_meetings_without_link(kaltara.pool, restarted) == 0

    events = await kaltara.events(unlinked)
    [failed] = failures(events)
    assert (failed.reason, failed.by, failed.meeting_id, failed.failed_at) == (
        "no_link_in_time",
        None,
        None,
        STARTS + timedelta(minutes=1),
    )
    assert [e.name for e in events][-2:] == ["meeting.failed", "resources.released"]
    assert failures(await kaltara.events(linked)) == []
