"""Issue 9 walked as a head of division would, on a phone: from the start page to the month's
evaluation, its charts drawn, nothing off screen, a finding recorded, and a number opened."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import async_playwright, expect

from tests.e2e.identity import requester
from tests.e2e.test_intake_browser import CHROMIUM, CHROMIUM_ARGS, PHONE
from tests.e2e.test_walking_skeleton import TENANT, a_request, get_json, letter_for, post
from tests.english import assert_no_english, watch
from tests.integration.helpers import wait_until

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="scripts/ensure-env installs Debian's chromium")

OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"
CHARTS_DRAWN = """Array.from(document.querySelectorAll('canvas[data-chart]'))
  .map(c => !!(window.Chart && Chart.getChart(c)) && c.width > 0)"""


async def an_approved_request(system, as_user) -> tuple[str, str]:
    """Submitted, passed on by the Kepala Dinas and approved by the Kabid; returns (code, month)."""
    body = a_request(days_ahead=2, letter=await letter_for(system))
    submitted = await post(f"{system.url('intake')}/api/{TENANT}/requests", body, requester())
    assert submitted.status_code == 201, submitted.text
    request_id, code = submitted.json()["request_id"], submitted.json()["tracking_code"]
    approval = f"{system.url('approval')}/api/{TENANT}/requests/{request_id}"
    kadis, kabid = await as_user(f"head_of_department@{TENANT}"), await as_user(f"head_of_division@{TENANT}")

    async def passed():
        return (await post(f"{approval}/pass", {"role": "head_of_department"}, kadis)).status_code == 200

    await wait_until(passed)
    assert (await post(f"{approval}/approve", {"role": "head_of_division"}, kabid)).status_code == 200
    month = body["starts_at"][:7]

    async def evaluated():
        found = await get_json(f"{system.url('reporting')}/api/{TENANT}/evaluations/month/{month}", kabid)
        return found and any(r["tracking_code"] == code and r["outcome"] == "scheduled" for r in found["register"])

    await wait_until(evaluated, timeout=30)
    return code, month


async def test_a_head_of_division_walks_from_the_start_page_to_the_months_evaluation(system, as_user, tmp_path):
    code, month = await an_approved_request(system, as_user)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = await (await browser.new_context(**PHONE)).new_page()
        english = watch(page)
        try:
            await page.goto(system.url("intake") + "/")
            await page.get_by_role("link", name="Masuk", exact=True).first.click()
            await page.fill('input[name="sub"]', "head_of_division@kaltara")
            await page.click('button:has-text("Masuk")')
            kaltara = page.locator("li", has_text="Kalimantan Utara")
            await kaltara.get_by_role("link", name="Rekap dan evaluasi").click()

            await expect(page.locator("h1")).to_contain_text("Rekap dan evaluasi layanan")
            if month not in page.url:  # the month's meeting falls after today's month
                await page.get_by_role("link", name=re.compile(r".* ›$")).click()
            await expect(page.locator("table.register")).to_contain_text(code)
            await expect(page.locator(".figure.ikm")).to_contain_text("belum ada data")
            assert await page.evaluate(CHARTS_DRAWN) == [True, True]
            assert await page.evaluate(OVERFLOW) <= 0, "a column is hidden off screen"

            await page.fill("#finding", "Uji coba perangkat sering mepet waktu")
            await page.fill("#follow_up", "Uji coba paling lambat H-1 pukul 14.00")
            await page.click('button:has-text("Catat temuan")')
            await expect(page.locator("main")).to_contain_text("Temuan dan rencana tindak lanjut tercatat.")
            await expect(page.locator("ul.findings")).to_contain_text("Uji coba perangkat sering mepet waktu")
            wide = await page.evaluate("""Array.from(document.querySelectorAll('body *'))
              .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
              .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 8)""")
            assert wide == [], wide
            await page.screenshot(path=str(tmp_path / "evaluasi.png"), full_page=True)

            await page.locator(".figure", has_text="Permohonan").first.click()
            await expect(page.locator("h1")).to_contain_text("Permohonan ·")
            assert await page.evaluate(OVERFLOW) <= 0
            await page.get_by_role("link", name="Kembali ke evaluasi").click()
            await page.get_by_role("link", name="triwulan").click()
            await expect(page.locator("h1")).to_contain_text("Triwulan")
            assert await page.evaluate(CHARTS_DRAWN) == [True, True, True]
            assert_no_english(await page.content(), page.url)
            assert english == [], "English on a page the browser loaded"
        finally:
            await browser.close()
