"""Issue 12, done: at the one address, by links only, a requester submits (after one refused send that
shows every error and keeps the letter) and later reschedules; a verifier opens the letter from the inbox,
served by intake and written to the personal-data audit trail. Debian's chromium, driven by Playwright."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.async_api import async_playwright, expect

from tests.e2e.test_intake_browser import CHROMIUM, CHROMIUM_ARGS, PHONE, TYPED
from tests.e2e.test_intake_documents import audited
from tests.e2e.test_intake_pages import ZONE, form_fields
from tests.integration.intake_support import a_pdf, a_request, next_working_morning

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="scripts/ensure-env installs Debian's chromium")


async def signed_in(page, sub: str) -> None:
    """On the local identity provider's sign-in page: choose the demo user and send."""
    await page.fill('input[name="sub"]', sub)
    await page.locator('input[name="sub"]').press("Enter")


async def from_the_start_page(page, system, link: str, sub: str) -> None:
    """Start at `/` and follow `link` (an href ending), signing in as `sub` on the way; first, when the
    start page shows the link only to people signed in."""
    await page.goto(f"{system.address}/")
    if await page.locator(f'a[href$="{link}"]').count():
        await page.locator(f'a[href$="{link}"]').first.click()
        await signed_in(page, sub)
        return
    await page.click('a[href^="/login"]')
    await signed_in(page, sub)
    await page.locator(f'a[href$="{link}"]').first.click()


async def test_a_requester_submits_after_one_refusal_and_later_reschedules_by_links_only(system, as_user, tmp_path):
    typed = form_fields(None, event_name=f"Rapat Koordinasi {uuid.uuid4().hex[:6]}")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = await (await browser.new_context(**PHONE)).new_page()
        try:
            await from_the_start_page(page, system, "/t/kaltara/ajukan", "requester@kaltara")
            await expect(page.locator("h1")).to_have_text("Ajukan permohonan fasilitasi rapat daring")
            assert page.url.startswith(system.address)

            for name in TYPED:
                await page.fill(f"#{name}", typed[name])
            await page.fill("#contact_email", "")
            await page.fill("#date", "")
            await page.fill("#contact_name", "")
            await page.set_input_files(
                "#request_letter",
                files=[{"name": "surat-bappeda.pdf", "mimeType": "application/pdf", "buffer": a_pdf()}],
            )
            await page.click('form.sends button[type="submit"]')
            await expect(page.locator("#date-error")).to_have_text("tanggal acara wajib diisi")
            await expect(page.locator("#contact_name-error")).to_be_visible()
            assert await page.locator("#start_time-error, #end_time-error, #contact_email-error").count() == 0
            await expect(page.locator(".summary")).to_contain_text("periksa 2 isian")
            kept = page.locator("#request_letter-kept")
            await expect(kept).to_have_text("✓ berkas sudah diunggah: surat-bappeda.pdf")
            await page.screenshot(path=str(tmp_path / "refused.png"), full_page=True)

            await page.fill("#date", typed["date"])
            await page.fill("#contact_name", typed["contact_name"])
            await page.click('form.sends button[type="submit"]')
            await page.wait_for_url("**/t/kaltara/lacak/*")
            await expect(page.locator("#status")).to_have_text("Diajukan")
            code = page.url.rsplit("/", 1)[1]

            await page.click('#actions a:has-text("Permohonan saya")')
            await page.click(f'li:has-text("{code}") a:has-text("Jadwalkan ulang")')
            await expect(page.locator("h1")).to_have_text(f"Jadwal ulang permohonan {code}")
            later = next_working_morning(ZONE, 17).astimezone(ZoneInfo(ZONE)).date()
            await page.fill("#date", later.isoformat())
            await page.fill("#start_time", "10:00")
            await page.fill("#end_time", "09:30")
            await page.click('form.sends button[type="submit"]')
            await expect(page.locator("#end_time-error")).to_have_text("waktu selesai harus setelah waktu mulai")
            await expect(page.locator("#date")).to_have_value(later.isoformat())
            await page.fill("#end_time", "12:00")
            await page.fill("#reason", "Pimpinan berhalangan hadir")
            await page.click('form.sends button[type="submit"]')
            await page.wait_for_url(f"**/t/kaltara/lacak/{code}")
            await expect(page.locator("#timeline li").last).to_contain_text("Dijadwalkan ulang")
            await expect(page.locator("#timeline li").last).to_contain_text("Pimpinan berhalangan hadir")
            await page.screenshot(path=str(tmp_path / "rescheduled.png"), full_page=True)
        finally:
            await browser.close()
    tracked = httpx.get(f"{system.address}/api/kaltara/tracking/{code}", headers=await as_user("requester@kaltara"))
    assert datetime.fromisoformat(tracked.json()["starts_at"]) == datetime.combine(later, time(10), ZoneInfo(ZONE))


async def a_tangerang_request(system, as_user, event_name: str) -> str:
    """A requester of Tangerang sends the signed FPVC over the API: the verifier's day starts after it."""
    headers = await as_user("requester@tangerang")
    async with httpx.AsyncClient(base_url=system.address, headers=headers, timeout=30) as http:
        form = await http.post(
            "/api/tangerang/documents",
            data={"kind": "request_form"},
            files={"file": ("fpvc-bappeda.pdf", a_pdf(), "application/pdf")},
        )
        assert form.status_code == 201, form.text
        starts = next_working_morning("Asia/Jakarta")
        sent = await http.post(
            "/api/tangerang/requests",
            json=a_request(
                "Asia/Jakarta",
                event_name=event_name,
                channel="request_form",
                starts_at=starts.isoformat(),
                ends_at=(starts + timedelta(hours=2)).isoformat(),
                documents={"request_form": form.json()["document_ref"]},
            ),
        )
        assert sent.status_code == 201, sent.text
    return form.json()["document_ref"]


async def test_a_verifier_opens_the_letter_from_the_inbox_and_the_read_is_audited(system, as_user, database_url):
    event_name = f"Rapat Berkas {uuid.uuid4().hex[:6]}"
    document_ref = await a_tangerang_request(system, as_user, event_name)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = await (await browser.new_context(**PHONE, accept_downloads=True)).new_page()
        try:
            await from_the_start_page(page, system, "/t/tangerang/kotak-masuk", "verifier@tangerang")
            await page.wait_for_url("**/t/tangerang/kotak-masuk")
            for _ in range(30):
                if await page.locator(f'a:has-text("{event_name}")').count():
                    break
                await page.wait_for_timeout(500)
                await page.reload()
            await page.click(f'a:has-text("{event_name}")')
            letter = page.locator("#berkas-request_form")
            await expect(letter).to_have_text("Buka formulir permintaan layanan (PDF)")
            assert "berkas " + document_ref not in await page.content()
            async with page.expect_response(lambda r: "/berkas/" in r.url) as served:
                await letter.click()
            response = await served.value
            assert response.status == 200 and response.url.startswith(system.address)
            assert response.headers["content-type"] == "application/pdf"
            assert "fpvc-bappeda.pdf" in response.headers["content-disposition"]
        finally:
            await browser.close()
    assert await audited(database_url, [document_ref]) == [
        (document_ref, "verifier@tangerang", "read", "membuka berkas formulir permintaan layanan permohonan")
    ]
