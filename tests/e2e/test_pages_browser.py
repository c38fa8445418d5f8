"""A person on a phone at the one address: start page, Indonesian sign-in, a page not for them,
an address that does not exist, the API documents; no English on any page they see."""

from __future__ import annotations

import pytest
from playwright.async_api import async_playwright, expect

from tests.e2e.test_intake_browser import CHROMIUM, CHROMIUM_ARGS, PHONE
from tests.english import assert_no_english, watch

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="scripts/ensure-env installs Debian's chromium")
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


async def seen(page, what: str) -> None:
    """The page fits the phone and has no English a person would read."""
    assert await page.evaluate(OVERFLOW) <= 0, f"{what}: something is hidden off screen"
    assert_no_english(await page.content(), what)


async def test_a_person_signs_in_in_indonesian_and_is_shown_the_way_back_from_a_page_not_for_them(system, tmp_path):
    outside = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = await (await browser.new_context(**PHONE)).new_page()
        english = watch(page)
        page.on(
            "request",
            lambda sent: (
                outside.append(sent.url)
                if not sent.url.startswith((system.address, system.oidc_issuer, "data:"))
                else None
            ),
        )
        try:
            await page.goto(system.address + "/")
            await seen(page, "start page, signed out")
            await expect(page.get_by_role("link", name="Kotak masuk (verifikasi, disposisi)")).to_have_count(0)

            await page.locator("#masuk").click()
            await expect(page.locator("h1")).to_have_text("Masuk ke Vidcon")
            await seen(page, "sign-in page")
            await page.screenshot(path=str(tmp_path / "1-sign-in.png"), full_page=True)
            kaltara = page.locator("details", has_text="Kalimantan Utara")
            await kaltara.locator("summary").click()
            await kaltara.get_by_role("button", name="Verifikator").click()

            await expect(page.get_by_role("link", name="Kotak masuk (verifikasi, disposisi)")).to_have_count(1)
            await expect(page.get_by_role("link", name="Laporan", exact=True)).to_have_count(0)
            await seen(page, "start page, verifier")

            await page.goto(system.address + "/t/kaltara/laporan")
            await expect(page.locator("h1")).to_have_text("Akses ditolak")
            await expect(page.locator("main")).to_contain_text("Pimpinan")
            await seen(page, "403 page")
            await page.screenshot(path=str(tmp_path / "2-forbidden.png"), full_page=True)
            await page.get_by_role("link", name="Kembali ke beranda").click()
            await expect(page.get_by_role("link", name="Kotak masuk (verifikasi, disposisi)")).to_have_count(1)

            await page.goto(system.address + "/t/kaltara/halaman-yang-tidak-ada")
            await expect(page.locator("h1")).to_have_text("Halaman tidak ditemukan")
            await seen(page, "404 page")

            await page.goto(system.address + "/")
            await page.get_by_role("link", name="Dokumentasi API dan peristiwa (OpenAPI, AsyncAPI)").click()
            await seen(page, "API index")
            await page.locator("#layanan-intake").get_by_role("link", name="Halaman API (OpenAPI)").click()
            await expect(page.locator(".opblock").first).to_be_visible(timeout=20_000)
            await expect(page.locator("#swagger-ui")).not_to_contain_text("Failed to load")
            await expect(page.locator("#swagger-ui")).to_contain_text("Unggah surat permohonan")
            await page.screenshot(path=str(tmp_path / "3-api.png"))
            await page.go_back()
            await seen(page, "API index, back")
        finally:
            await browser.close()
    assert outside == [], "nothing loads from outside the one address"
    assert [hit for hit in english if "/docs" not in hit] == [], "English on a page the browser loaded"
