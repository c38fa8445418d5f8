"""Issue 12, done for the technical side, in a phone-sized browser at the one address, every page reached
by links from the start page: the head of division assigns crew and kit, seeing what the schedule already
holds; the operator finds the duty on today's page, runs the checks, starts and ends the meeting (held to the
schedule), files the report, sees it again and corrects it, and the recap counts the correction and links
to the report; the tenant
admin adds a host account and an operator's leave, each first refused with a message at its field."""

from __future__ import annotations

import asyncio
import re
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.async_api import async_playwright, expect

from tests.e2e.test_intake_browser import CHROMIUM, CHROMIUM_ARGS, PHONE
from tests.e2e.test_provisioning_flow import _put, approved_request
from tests.e2e.test_walking_skeleton import get_json
from tests.integration.helpers import wait_until

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="scripts/ensure-env installs Debian's chromium")
TENANT, WITA = "kaltara", ZoneInfo("Asia/Makassar")
OPERATOR = f"operator@{TENANT}"
WEEK = 7 * 24 * 60


async def scheduled_meeting(system, as_user) -> tuple[str, str, str]:
    """An approved request with its meeting made (the link comes a moment after approval); (id, day, month)."""
    request_id, _, body = await approved_request(system, as_user, days_ahead=1)
    team = await as_user(f"technical_team@{TENANT}")
    meeting_url = f"{system.url('provisioning')}/api/{TENANT}/meetings/{request_id}"

    async def made():
        meeting = await get_json(meeting_url, team)
        return meeting if meeting and meeting["join_url"] else None

    await wait_until(made, timeout=60, interval=0.5)
    starts = datetime.fromisoformat(body["starts_at"]).astimezone(WITA)
    return request_id, starts.date().isoformat(), body["starts_at"][:7]


async def resources_api(system, as_user, path: str, body: dict) -> None:
    answer = await _put(
        f"{system.url('provisioning')}/api/{TENANT}/resources/{path}", body, await as_user(f"technical_team@{TENANT}")
    )
    assert answer.status_code == 200, answer.text


async def early_start(system, as_user, minutes: int) -> None:
    """The tenant's early-start time: the meeting is days ahead, and its operator records its start now."""
    settings = await get_json(
        f"{system.url('provisioning')}/api/{TENANT}/resources/settings", await as_user(f"technical_team@{TENANT}")
    )
    kept = {
        k: settings[k]
        for k in ("setup_minutes", "overrun_minutes", "recording_retention_days", "stream_url", "stream_page_url")
    }
    await resources_api(system, as_user, "settings", kept | {"early_start_minutes": minutes})


async def signed_in_from_the_start_page(browser, system, link: str, who: str):
    """Start at `/`, sign in there (the start page shows a person the links of their roles), follow `link`."""
    page = await (await browser.new_context(**PHONE)).new_page()
    await page.goto(system.address + "/")
    await page.click('a[href^="/login"]')
    await page.fill('input[name="sub"]', who)
    await page.press('input[name="sub"]', "Enter")
    await page.locator("li", has_text="Kalimantan Utara").get_by_role("link", name=link).click()
    return page


async def the_day(page, day: str):
    """Today's page, moved to the meeting's day with the page's own date picker."""
    await page.fill("#hari", day)
    await page.get_by_role("button", name="Lihat").click()
    await expect(page.locator("h1")).to_contain_text("Rapat")


async def test_the_head_of_division_assigns_crew_and_the_operator_runs_the_meeting_and_its_report(system, as_user):
    request_id, day, month = await scheduled_meeting(system, as_user)
    other_id, _, _ = await scheduled_meeting(system, as_user)
    team = await as_user(f"technical_team@{TENANT}")
    crew = await _put(
        f"{system.url('provisioning')}/api/{TENANT}/meetings/{other_id}/crew",
        {"operators": ["operator1@kaltara"]},
        team,
    )
    assert crew.status_code == 200, crew.text
    await resources_api(system, as_user, f"operators/{OPERATOR}", {"working_days": [1, 2, 3, 4, 5, 6, 7]})
    card = f"#rapat-{request_id}"
    await early_start(system, as_user, WEEK)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            kabid = await signed_in_from_the_start_page(browser, system, "Rapat hari ini", f"head_of_division@{TENANT}")
            await the_day(kabid, day)
            meeting = kabid.locator(card)
            await expect(meeting).to_contain_text("Operator belum ditugaskan")
            await expect(meeting.locator(".when")).to_contain_text("Ruang Rapat Bappeda")  # typed, online only
            await expect(meeting.locator(".status")).to_have_text("Belum siap")
            await meeting.get_by_role("link", name="Atur petugas dan perlengkapan").click()

            busy = kabid.locator("label.choice", has_text="operator1@kaltara")
            await expect(busy).to_contain_text("sudah dipesan: Rapat Koordinasi RKPD")
            await busy.locator("input").check()
            await kabid.get_by_role("button", name="Simpan penugasan").click()
            await expect(kabid.locator("#operators")).to_contain_text("operator 'operator1@kaltara' sudah dipesan")
            assert (await _meeting(system, team, request_id))["operators"] == []

            await busy.locator("input").uncheck()
            await kabid.locator("label.choice", has_text=OPERATOR).locator("input").check()
            free_kit = kabid.locator("#kit_id label.choice", has_text="kosong pada waktu ini").first
            await free_kit.locator("input").check()
            await kabid.get_by_role("button", name="Simpan penugasan").click()
            await expect(kabid.locator("main")).to_contain_text("Petugas dan perlengkapan tersimpan.")
            await expect(kabid.locator(card)).to_contain_text(f"Operator {OPERATOR}")
            assert await kabid.locator(f"{card} form.action").count() == 0, "the head of division only reads checks"

            operator = await signed_in_from_the_start_page(browser, system, "Rapat hari ini", OPERATOR)
            await the_day(operator, day)
            duty = operator.locator(card)
            await expect(duty.locator(".duty")).to_have_text("Tugas Anda")
            for check in ("Koordinasi dengan tim jaringan", "Uji coba"):
                await duty.get_by_role("button", name=f"Tandai selesai: {check}").click()
                await expect(operator.locator("main")).to_contain_text(f"{check}: tercatat selesai.")
            await expect(duty.locator(".status")).to_have_text("Siap")

            while datetime.now().second > 45:  # start and the refused end fall in one minute
                await asyncio.sleep(1)
            await duty.get_by_role("button", name="Catat mulai sekarang").click()
            await expect(operator.locator("main")).to_contain_text("Waktu mulai rapat tercatat.")
            await duty.get_by_role("button", name="Catat selesai sekarang").click()
            await expect(operator.locator(".notice-error")).to_contain_text("tidak boleh pada menit yang sama")
            started = (await _meeting(system, team, request_id))["started_at"]
            await wait_until(lambda: _later_minute(started), timeout=70, interval=1)
            await duty.get_by_role("button", name="Catat selesai sekarang").click()
            await expect(operator.locator("main")).to_contain_text("Waktu selesai rapat tercatat.")

            await duty.get_by_role("link", name="Isi laporan pelaksanaan").click()
            assert await operator.input_value("#started_at") and await operator.input_value("#ended_at")
            await operator.fill("#leading_official", "Asisten Pemerintahan")
            await operator.fill("#attendance", "37")
            await operator.get_by_role("button", name="Simpan laporan").click()
            await expect(operator.locator(f"{card} .status")).to_have_text("Sudah dilaporkan")

            await operator.locator(card).get_by_role("link", name="Lihat laporan pelaksanaan").click()
            await expect(operator.locator("dd.attendance")).to_have_text("37")
            await expect(operator.locator(".report-view")).to_contain_text("Asisten Pemerintahan")
            await operator.get_by_text("Perbaiki laporan").click()
            await operator.fill("#attendance", "41")
            await operator.get_by_role("button", name="Simpan perbaikan").click()
            await expect(operator.locator("#reason").locator("..")).to_contain_text("Alasan perbaikan: wajib diisi")
            await operator.fill("#reason", "Peserta daring belum terhitung")
            await operator.get_by_role("button", name="Simpan perbaikan").click()
            await expect(operator.locator("main")).to_contain_text("Perbaikan laporan pelaksanaan tersimpan.")
            await expect(operator.locator("dd.attendance")).to_have_text("41")
            await expect(operator.locator(".corrections")).to_contain_text("Peserta daring belum terhitung")
            assert await operator.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0

            async def counted_as_corrected():
                found = await get_json(
                    f"{system.url('reporting')}/api/{TENANT}/evaluations/month/{month}",
                    await as_user(f"head_of_division@{TENANT}"),
                )
                rows = [r for r in (found or {}).get("register", []) if r["request_id"] == request_id]
                return rows and rows[0]["attendance"] == 41

            await wait_until(counted_as_corrected, timeout=30, interval=0.5)
            await kabid.goto(system.address + "/")
            await (
                kabid.locator("li", has_text="Kalimantan Utara").get_by_role("link", name="Rekap dan evaluasi").click()
            )
            if month not in kabid.url:  # the meeting falls in the next month
                await kabid.get_by_role("link", name=re.compile(r".* ›$")).click()
            row = kabid.locator("table.register tr", has=kabid.locator(f'a[href$="/rapat/{request_id}/laporan"]'))
            await expect(row).to_contain_text("(diperbaiki)")
            await row.get_by_role("link", name="Laporan pelaksanaan").click()
            await expect(kabid.locator("dd.attendance")).to_have_text("41")
            assert await kabid.get_by_text("Perbaiki laporan").count() == 0, "the head of division only reads it"
        finally:
            await browser.close()
            await early_start(system, as_user, 15)


async def _later_minute(started: str) -> bool:
    return datetime.now(WITA).replace(second=0, microsecond=0) > datetime.fromisoformat(started).replace(
        second=0, microsecond=0
    )


async def _meeting(system, headers: dict, request_id: str) -> dict:
    return await get_json(f"{system.url('provisioning')}/api/{TENANT}/meetings/{request_id}", headers)


async def test_checks_without_crew_leave_the_meeting_not_ready_and_a_start_days_early_is_refused(system, as_user):
    request_id, day, _ = await scheduled_meeting(system, as_user)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            operator = await signed_in_from_the_start_page(browser, system, "Rapat hari ini", OPERATOR)
            await the_day(operator, day)
            card = operator.locator(f"#rapat-{request_id}")
            for check in ("Koordinasi dengan tim jaringan", "Uji coba"):
                await card.get_by_role("button", name=f"Tandai selesai: {check}").click()
            await expect(card).to_contain_text("rapat siap setelah operator ditugaskan")
            await expect(card.locator(".status")).to_have_text("Belum siap")
            await card.get_by_role("button", name="Catat mulai sekarang").click()
            await expect(operator.locator(".notice-error")).to_contain_text("paling awal 15 menit sebelumnya")
        finally:
            await browser.close()
    assert (await _meeting(system, await as_user(f"technical_team@{TENANT}"), request_id))["started_at"] is None


async def test_the_tenant_admin_adds_a_host_account_and_an_operators_leave(system, as_user):
    suffix = uuid.uuid4().hex[:6]
    account, person = f"zoom-uji-{suffix}", f"operator-{suffix}@kaltara"
    team = await as_user(f"technical_team@{TENANT}")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            admin = await signed_in_from_the_start_page(
                browser, system, "Sumber daya penyediaan", f"tenant_admin@{TENANT}"
            )
            await expect(admin.locator("h1")).to_have_text("Sumber daya penyediaan")
            accounts = admin.locator("#akun")
            await accounts.get_by_text("Tambah akun host", exact=True).first.click()
            await admin.fill("#baru-id", account)
            await admin.get_by_role("button", name="Tambah akun host").click()
            await expect(admin.locator("#akun")).to_contain_text(
                "Email atau ID pengguna Zoom pemegang lisensi: wajib diisi"
            )
            assert await admin.input_value("#baru-id") == account, "what was typed stays"
            assert account not in {a["account_id"] for a in await _listed(system, team, "accounts")}

            await admin.fill("#baru-host_user", f"{account}@kaltara.vidcon.test")
            await admin.locator("#akun select[name=license]").last.select_option("pro")
            await admin.get_by_role("button", name="Tambah akun host").click()
            await expect(admin.locator("main")).to_contain_text(f"Akun host {account} tersimpan.")
            await expect(admin.locator("#akun")).to_contain_text(f"{account}@kaltara.vidcon.test")

            await admin.locator("#operator").get_by_text("Tambah operator", exact=True).first.click()
            await admin.locator("#operator").locator("#baru-id").fill(person)
            await admin.get_by_role("button", name="Tambah operator").click()
            await expect(admin.locator("main")).to_contain_text(f"Operator {person} tersimpan.")

            item = admin.locator("#operator li", has_text=person)
            await item.get_by_text(f"Catat cuti {person}").click()
            await item.locator('input[name="first_day"]').fill("2027-01-12")
            await item.locator('input[name="last_day"]').fill("2027-01-11")
            await item.get_by_role("button", name="Catat cuti").click()
            item = admin.locator("#operator li", has_text=person)
            await expect(item).to_contain_text("hari terakhir cuti harus sesudah hari pertama")
            await item.locator('input[name="last_day"]').fill("2027-01-14")
            await item.get_by_role("button", name="Catat cuti").click()
            await expect(admin.locator("main")).to_contain_text(f"Cuti operator {person} tercatat.")
            await expect(admin.locator("#operator li", has_text=person)).to_contain_text(
                "Cuti: Selasa, 12 Januari 2027 s.d. Kamis, 14 Januari 2027"
            )
            english = re.compile(r"\b(the|field|required|error|invalid|submit)\b", re.IGNORECASE)
            assert not english.search(await admin.locator("main").inner_text())
            assert await admin.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0

            changed = admin.locator("#akun li", has_text=account)
            await changed.get_by_text("Ubah", exact=True).click()
            await changed.locator('input[name="active"]').uncheck()
            await changed.get_by_role("button", name="Simpan perubahan").click()
            await expect(admin.locator("#akun li", has_text=account)).to_contain_text("nonaktif")
        finally:
            await browser.close()
            await resources_api(
                system, as_user, f"accounts/{account}", {"host_user": f"{account}@kaltara.vidcon.test", "active": False}
            )
    assert {a["account_id"]: a["active"] for a in await _listed(system, team, "accounts")}[account] is False


async def _listed(system, headers: dict, kind: str) -> list[dict]:
    async with httpx.AsyncClient() as http:
        return (await http.get(f"{system.url('provisioning')}/api/{TENANT}/resources/{kind}", headers=headers)).json()
