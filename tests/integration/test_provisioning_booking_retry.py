"""'Jadwalkan lagi' after no account was free: 409 naming who holds the account while it is still taken."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from provisioning.adapters import resources
from provisioning.bootstrap import SPEC
from shared.config import Settings
from shared.runtime import service_app
from tests.auth import access_token, bearer
from tests.integration.provisioning_support import desk

WITA = ZoneInfo("Asia/Makassar")
STARTS = datetime(2026, 12, 2, 9, 0, tzinfo=WITA)
PROVISIONING = "http://provisioning"


@pytest.fixture
async def kaltara(database_url):
    async with desk(database_url, "kaltara", tenant="kaltara") as kaltara:
        yield kaltara


@pytest.fixture
async def api(kaltara, identity_issuer):
    app = service_app(SPEC, Settings(oidc_issuer=identity_issuer, secure_cookies=False))
    app.state.runtime.pool, app.state.runtime.extras["provisioning"] = kaltara.pool, kaltara.ctx
    token = bearer(await access_token(identity_issuer, "technical_team@kaltara"))
    async with httpx.AsyncClient(mounts={PROVISIONING: httpx.ASGITransport(app=app)}, headers=token) as http:
        yield http


async def test_a_retry_while_the_account_is_still_taken_answers_409_naming_the_account_time_and_holder(kaltara, api):
    holder = await kaltara.approve(starts=STARTS, approved_at=STARTS - timedelta(days=1))
    waiting = await kaltara.approve(starts=STARTS + timedelta(hours=1), approved_at=STARTS - timedelta(days=1))
    recorded = [e.name for e in await kaltara.events(waiting)]
    assert recorded == ["host_account.unavailable"]  # the desk has one account

    for body in ({}, {"account_id": "pro-1"}):
        retried = await api.post(f"{PROVISIONING}/api/kaltara/meetings/{waiting}/schedule", json=body)

        assert retried.status_code == 409, retried.text
        message = retried.json()["message"]
        assert (
            "akun host masih terpakai pada waktu itu: pro-1 dipakai permohonan 'Rapat Koordinasi'"
            f" ({holder}) Rabu, 2 Desember 2026 08.30–11.30 WITA"
        ) in message
        assert "alternatif terdekat: pro-1 mulai Rabu, 2 Desember 2026 11.30 WITA" in message
    assert [e.name for e in await kaltara.events(waiting)] == recorded  # a refused retry records nothing


async def test_a_retry_once_an_account_is_free_schedules_the_meeting(kaltara, api):
    await kaltara.approve(starts=STARTS, approved_at=STARTS - timedelta(days=1))
    waiting = await kaltara.approve(starts=STARTS, approved_at=STARTS - timedelta(days=1))
    async with kaltara.pool.acquire() as conn:
        await resources.put_account(conn, "kaltara", "pro-2", "zoom", "pro-2@kaltara.test", "pro")

    retried = await api.post(f"{PROVISIONING}/api/kaltara/meetings/{waiting}/schedule", json={})

    assert retried.status_code == 200 and retried.json()["account_id"] == "pro-2"
    assert (retried.json()["join_url"], retried.json()["link_status"]) == (None, "sedang dibuat")  # Zoom after
    assert [e.name for e in await kaltara.events(waiting)][-1] == "resources.booked"
    await kaltara.make_calls()
    assert [e.name for e in await kaltara.events(waiting)][-1] == "meeting.scheduled"
    shown = await api.get(f"{PROVISIONING}/api/kaltara/meetings/{waiting}")
    assert shown.json()["link_status"] == "tersedia" and shown.json()["join_url"]
