"""The officials' pages against real PostgreSQL and the real local OIDC provider, at a fixed clock."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import httpx
import pytest

from approval.bootstrap import SPEC
from shared.config import Settings
from shared.runtime import service_app
from shared.tenants import Role
from tests.auth import browser_login
from tests.integration.test_approval_scenarios import Desk, approval_pool  # noqa: F401  (fixture)

WITA = ZoneInfo("Asia/Makassar")
FRIDAY = lambda hour, minute=0: datetime(2026, 11, 27, hour, minute, tzinfo=WITA)  # noqa: E731
APPROVAL = "http://approval"


@pytest.fixture
async def browser(approval_pool, identity_issuer):
    """A browser on the approval service at Friday 11:20 WITA; other hosts (the provider) are real."""
    app = service_app(SPEC, Settings(oidc_issuer=identity_issuer, secure_cookies=False))
    app.state.runtime.pool = approval_pool
    app.state.runtime.extras["clock"] = lambda: FRIDAY(11, 20)
    async with httpx.AsyncClient(mounts={APPROVAL: httpx.ASGITransport(app=app)}) as http:
        yield http


async def test_inbox_shows_time_left_in_working_minutes_and_marks_the_late_one(approval_pool, browser):
    desk = Desk(approval_pool, "kaltara")
    late = await desk.submit(FRIDAY(9))
    fresh = await desk.submit(FRIDAY(11))
    await browser_login(browser, APPROVAL, "head_of_department@kaltara")

    page = (await browser.get(f"{APPROVAL}/t/kaltara/kotak-masuk")).text

    assert page.index(late) < page.index(fresh)  # soonest due first
    late_item = page[page.rindex("<li", 0, page.index(late)) : page.index("</li>", page.index(late))]
    fresh_item = page[page.rindex("<li", 0, page.index(fresh)) : page.index("</li>", page.index(fresh))]
    assert 'class="late"' in late_item and "Terlambat" in late_item and "terlambat 1 jam 20 menit" in late_item
    assert "Terlambat" not in fresh_item and "sisa 40 menit kerja" in fresh_item
    assert "Jumat, 27 November 2026 12.00 WITA" in fresh_item


async def test_a_form_the_rules_refuse_is_shown_again_with_the_reason(approval_pool, browser):
    desk = Desk(approval_pool, "kaltara")
    request_id = await desk.submit(FRIDAY(11))
    csrf = await browser_login(browser, APPROVAL, "head_of_department@kaltara")
    page = f"{APPROVAL}/t/kaltara/permohonan/{request_id}"

    shown = await browser.get(page)
    assert (
        shown.status_code == 200 and "Disposisikan ke Kepala Bidang" in shown.text and "Tolak permohonan" in shown.text
    )

    refused = await browser.post(
        f"{page}/reject", data={"csrf_token": csrf, "role": "head_of_department", "version": "0", "reason": ""}
    )
    assert refused.status_code == 422 and "Isian &#39;alasan&#39; wajib diisi" in refused.text
    assert [e.name for e in await desk.events(request_id)] == []


async def test_an_acting_official_sees_the_role_they_stand_in_for(approval_pool, browser):
    desk = Desk(approval_pool, "kaltara")
    request_id = await desk.submit(FRIDAY(9))
    await desk.act(request_id, "dispose", "kadis", Role.HEAD_OF_DEPARTMENT, FRIDAY(9, 30), addressee="kabid-aptika")
    async with approval_pool.acquire() as conn:
        await conn.execute(
            "insert into acting_appointments (tenant, official, acting, role, starts_at, ends_at,"
            " appointed_by) values ('kaltara', 'kabid-aptika', 'verifier@kaltara',"
            " 'head_of_division', $1, $2, 'kadis')",
            FRIDAY(8),
            FRIDAY(16),
        )
    await browser_login(browser, APPROVAL, "verifier@kaltara")

    page = (await browser.get(f"{APPROVAL}/t/kaltara/kotak-masuk")).text

    assert 'id="peran-head_of_division"' in page and request_id in page
