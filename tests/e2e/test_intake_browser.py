"""Issue 4, done: a requester on a phone submits through the page with a signed letter, then watches the
status page follow approval and provisioning without reloading. Debian's chromium, driven by Playwright."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from playwright.async_api import async_playwright, expect

from fakes.smtp import read_mail_dir
from tests.e2e.test_intake_pages import form_fields
from tests.e2e.test_walking_skeleton import TENANT, post
from tests.english import assert_no_english, watch
from tests.integration.helpers import wait_until
from tests.integration.intake_support import a_pdf

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "id-ID",
}
TYPED = (
    "contact_name",
    "contact_whatsapp",
    "contact_email",
    "letter_number",
    "letter_date",
    "event_name",
    "agenda",
    "date",
    "start_time",
    "end_time",
    "venue",
    "leading_official_name",
    "leading_official_position",
    "speakers",
    "expected_participants",
    "equipment",
)

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="scripts/ensure-env installs Debian's chromium")


NOTE_WHILE_SENDING = """document.querySelector("form.sends").addEventListener("submit", function () {
  var button = document.querySelector("form.sends button[type=submit]");
  sessionStorage.setItem("whileSending", JSON.stringify(
    [button.textContent, button.disabled, !document.querySelector("form.sends .sending").hidden]));
})"""
"""Runs after the page's own submit handler; sessionStorage outlives the navigation to the status page."""


async def test_a_requester_submits_on_a_phone_and_watches_the_meeting_get_scheduled(system, as_user, tmp_path):
    intake = system.url("intake")
    typed = form_fields(None)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = await (await browser.new_context(**PHONE)).new_page()
        english = watch(page)
        try:
            await page.goto(f"{intake}/t/{TENANT}/ajukan")
            await page.fill('input[name="sub"]', f"requester@{TENANT}")
            await page.click('button:has-text("Masuk")')
            await expect(page.locator("h1")).to_have_text("Ajukan permohonan fasilitasi rapat daring")

            for name in TYPED:
                await page.fill(f"#{name}", typed[name])
            await page.check('input[name="special_needs"][value="recording"]')
            await page.set_input_files(
                "#request_letter", files=[{"name": "surat.pdf", "mimeType": "application/pdf", "buffer": a_pdf()}]
            )
            await page.fill("#end_time", "08:00")
            await page.click('form.sends button[type="submit"]')
            await expect(page.locator("#end_time-error")).to_contain_text("waktu selesai harus setelah waktu mulai")
            await page.locator("#end_time").scroll_into_view_if_needed()
            await page.screenshot(path=str(tmp_path / "refused.png"))
            await expect(page.locator("#event_name")).to_have_value(typed["event_name"])
            await page.fill("#end_time", typed["end_time"])
            await page.set_input_files(
                "#request_letter", files=[{"name": "surat.pdf", "mimeType": "application/pdf", "buffer": a_pdf()}]
            )
            await page.evaluate(NOTE_WHILE_SENDING)
            await page.click('form.sends button[type="submit"]')
            await page.wait_for_url(f"**/t/{TENANT}/lacak/*")
            assert await page.evaluate("JSON.parse(sessionStorage.getItem('whileSending'))") == [
                "Mengirim…",
                True,
                True,
            ]
            await expect(page.locator("#status")).to_have_text("Diajukan")
            await page.evaluate("window.stillTheSamePage = true")
            request_id = (await page.get_attribute('a[href$="/ubah"]', "href")).split("/")[-2]
            await approve(system, as_user, request_id)

            await expect(page.locator("#status")).to_have_text("Rapat dijadwalkan", timeout=30_000)
            await expect(page.locator("#timeline li").last).to_contain_text("Rapat dijadwalkan")
            await expect(page.locator("#join_url")).to_have_attribute(
                "href", re.compile(r"^https://zoom\.example\.test/j/")
            )
            assert await page.is_visible("#meeting") and await page.evaluate("window.stillTheSamePage") is True
            assert not await page.is_visible("#amend")
            await page.screenshot(path=str(tmp_path / "status.png"), full_page=True)
            mail, chat = await meeting_link_sent(system, await page.get_attribute("#join_url", "href"))
            assert mail["To"] == "siti@example.go.id" and chat["target"] == "081234567890"
            assert_no_english(await page.content(), page.url)
            assert english == [], "English on a page the browser loaded"
        finally:
            await browser.close()


async def meeting_link_sent(system, join_url: str) -> tuple:
    """The contact person received the meeting link by email and by WhatsApp."""

    async def sent():
        mails = [m for m in read_mail_dir(system.extra_env["MAIL_DIR"]) if join_url in m.get_content()]
        gateway = httpx.get(f"{system.extra_env['WHATSAPP_GATEWAY_URL']}/sent").json()["sent"]
        chats = [c for c in gateway if join_url in c["message"]]
        return mails and chats and (mails[0], chats[0])

    return await wait_until(sent, timeout=30)


async def approve(system, as_user, request_id: str) -> None:
    """Kepala Dinas hands the request on, Kepala Bidang approves: as in the walking skeleton, over the API."""
    approval = f"{system.url('approval')}/api/{TENANT}/requests/{request_id}"

    async def passed():
        kadis = {"role": "head_of_department", "note": "Teruskan ke Kabid"}
        return (await post(f"{approval}/pass", kadis, await as_user(f"head_of_department@{TENANT}"))).status_code == 200

    await wait_until(passed, timeout=20)
    approved = await post(
        f"{approval}/approve", {"role": "head_of_division"}, await as_user(f"head_of_division@{TENANT}")
    )
    assert approved.status_code == 200, approved.text
