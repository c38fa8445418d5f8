"""Issue 10, walked on a phone: someone files a complaint on the public page (a disguised
attachment refused first), follows it by its tracking code; the complaints officer classifies,
hands on and answers it from the pages; the answer arrives by email and WhatsApp and shows on the
tracking page; the complainant reopens it; the officer answers again and closes it."""

from __future__ import annotations

import io
import re
from datetime import datetime, timezone

import httpx
import pytest
from PIL import Image
from playwright.async_api import async_playwright, expect

from fakes.smtp import read_mail_dir
from shared.config import REPO_ROOT
from shared.tenants import load_tenants
from tests.e2e.test_intake_browser import CHROMIUM, CHROMIUM_ARGS, PHONE
from tests.english import assert_no_english
from tests.integration.helpers import wait_until

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="scripts/ensure-env installs Debian's chromium")

OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"
ANSWER = "Mohon maaf atas keterlambatan; tautan kini dikirim paling lambat H-1 pukul 15.00."
WHATSAPP = "081377665544"


def days_left_of_a_light_complaint() -> int:
    """Five working days from receipt, counted from today: more when filed after hours or before a holiday."""
    profile = load_tenants(REPO_ROOT / "tenants")["kaltara"]
    calendar, now = profile.calendar(), datetime.now(timezone.utc)
    return calendar.working_days_left(now, calendar.due(now, profile.complaint_deadlines.light.to_standard()))


def a_photo() -> bytes:
    picture = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(picture, format="PNG")
    return picture.getvalue()


async def fits_the_phone(page) -> None:
    assert await page.evaluate(OVERFLOW) <= 0, "something is hidden off screen"
    assert_no_english(await page.content(), page.url)


async def file_on_the_public_page(page, system, email: str, tmp_path) -> str:
    await page.goto(system.url("intake") + "/")
    await (
        page.locator("li", has_text="Kalimantan Utara")
        .get_by_role("link", name="Sampaikan pengaduan atau saran")
        .click()
    )
    await expect(page.locator("h1")).to_contain_text("Sampaikan pengaduan, saran atau apresiasi")
    await fits_the_phone(page)
    await expect(page.locator("#field-attachment button.file-choose")).to_have_text("Pilih berkas")  # not "Choose File"
    await page.fill("#summary", "Tautan rapat koordinasi dikirim lima menit sebelum acara dimulai")
    await page.fill("#name", "Rina Pelapor")
    await page.fill("#email", email)
    await page.fill("#whatsapp", WHATSAPP)
    disguised = tmp_path / "foto.jpg"
    disguised.write_text("bukan foto, hanya teks biasa\n")
    await page.set_input_files("#attachment", str(disguised))
    await page.click('button:has-text("Kirim")')
    await page.screenshot(path=str(tmp_path / "1-refused.png"), full_page=True)
    await expect(page.locator("#attachment-error")).to_have_text(
        "Lampiran: berkas lampiran harus berupa foto JPEG atau PNG, atau PDF yang dapat dibuka"
    )
    assert await page.input_value("#summary") == "Tautan rapat koordinasi dikirim lima menit sebelum acara dimulai"
    photo = tmp_path / "bukti.png"
    photo.write_bytes(a_photo())
    await page.set_input_files("#attachment", str(photo))
    await page.click('button:has-text("Kirim")')
    await expect(page.locator("#diterima")).to_contain_text("Pengaduan sudah kami terima")
    code = (await page.locator(".code").text_content()).strip()
    assert re.fullmatch(r"[A-Z2-9]{8}", code)
    await expect(page.locator("#status")).to_contain_text("Diterima")
    await page.reload()  # the tracking page, not the form again: nothing is filed twice
    await expect(page.locator("#status")).to_contain_text(code)
    return code


async def act(page, action: str, button: str, fill: dict[str, str] | None = None) -> None:
    section = page.locator(f"#aksi-{action}")
    if await section.get_attribute("open") is None:
        await section.locator("summary").click()
    for selector, value in (fill or {}).items():
        if selector == "#kind":
            await section.locator(selector).select_option(value)
        else:
            await section.locator(selector).fill(value)
    await section.locator(f'button:has-text("{button}")').click()
    await expect(page.locator("#berhasil")).to_be_visible()


async def delivered(system, code: str, email: str, text: str):
    mails = [
        m
        for m in read_mail_dir(system.extra_env["MAIL_DIR"])
        if code in m["Subject"] and m["To"] == email and text in m.get_content()
    ]
    sent = httpx.get(f"{system.extra_env['WHATSAPP_GATEWAY_URL']}/sent").json()["sent"]
    chats = [s for s in sent if code in s["message"] and text in s["message"]]
    return mails and chats and (mails, chats)


async def test_a_complaint_filed_on_a_phone_is_handled_answered_and_reopened_from_the_pages(system, tmp_path):
    email = f"rina.{tmp_path.name[-6:]}@contoh.go.id"
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            public = await (await browser.new_context(**PHONE)).new_page()
            code = await file_on_the_public_page(public, system, email, tmp_path)
            receipt = await wait_until(lambda: delivered(system, code, email, "Kode lacak"), timeout=30)
            assert receipt

            officer = await (await browser.new_context(**PHONE)).new_page()
            await officer.goto(system.url("intake") + "/")
            await officer.get_by_role("link", name="Masuk", exact=True).first.click()
            await officer.fill('input[name="sub"]', "complaints_officer@kaltara")
            await officer.click('button:has-text("Masuk")')
            await (
                officer.locator("li", has_text="Kalimantan Utara")
                .get_by_role("link", name="Kotak masuk pengaduan")
                .click()
            )
            await expect(officer.locator("h1")).to_contain_text("Kotak masuk pengaduan")
            await fits_the_phone(officer)
            item = officer.locator("#pengaduan li", has_text=code)
            await expect(item).to_contain_text("Belum diklasifikasi")
            await officer.screenshot(path=str(tmp_path / "2-inbox.png"), full_page=True)
            await item.get_by_role("link", name=code).click()
            await expect(officer.locator("#ringkasan")).to_contain_text("Rina Pelapor")
            await expect(officer.locator("#ringkasan")).to_contain_text(WHATSAPP)
            async with officer.expect_download() as download:
                await officer.get_by_role("link", name=re.compile("Unduh lampiran")).click()
            assert (await download.value).suggested_filename.startswith("lampiran-")

            await act(officer, "klasifikasi", "Klasifikasikan", {"#kind": "light"})
            await expect(officer.locator("#ringkasan")).to_contain_text("Batas waktu")
            await expect(officer.locator("#ringkasan")).to_contain_text(
                f"sisa {days_left_of_a_light_complaint()} hari kerja"
            )
            await act(officer, "serahkan", "Serahkan ke tim penanganan")
            await expect(officer.locator("#ringkasan")).to_contain_text("seluruh tim penanganan")
            await act(officer, "jawab", "Jawab pengadu", {"#answer": ANSWER})
            await expect(officer.locator("#riwayat")).to_contain_text("Dijawab kepada pengadu")
            await fits_the_phone(officer)
            await officer.screenshot(path=str(tmp_path / "3-answered.png"), full_page=True)

            mails, chats = await wait_until(lambda: delivered(system, code, email, ANSWER), timeout=30)
            assert f"/t/kaltara/pengaduan/lacak/{code}" in chats[0]["message"]
            await public.reload()
            await expect(public.locator("#jawaban")).to_contain_text(ANSWER)
            await expect(public.locator("#status")).to_contain_text("Dijawab")
            await public.screenshot(path=str(tmp_path / "4-tracking.png"), full_page=True)
            assert "Rina" not in await public.locator("main").text_content()

            await public.fill("#reason", "Rapat berikutnya juga terlambat menerima tautan")
            await public.click('button:has-text("Buka kembali pengaduan")')
            await expect(public.locator("main")).to_contain_text("Pengaduan dibuka kembali")
            await expect(public.locator("#status")).to_contain_text("Dibuka kembali")
            await fits_the_phone(public)

            await officer.reload()
            await expect(officer.locator("#ringkasan")).to_contain_text("Dibuka kembali")
            await expect(officer.locator("#tulisan")).to_contain_text("Rapat berikutnya juga terlambat")
            await act(
                officer, "jawab", "Jawab pengadu", {"#answer": "Operator kini mengirim tautan sehari sebelumnya."}
            )
            await act(officer, "tutup", "Tutup (selesai)")
            await expect(officer.locator("#riwayat")).to_contain_text("Selesai (tepat waktu)")
            await public.reload()
            await expect(public.locator("#status")).to_contain_text("Selesai")
        finally:
            await browser.close()
