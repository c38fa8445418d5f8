"""The requester's pages through the running system: a logged-in browser session, multipart forms, CSRF."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import asyncpg
import httpx

from tests.auth import browser_login
from tests.e2e.identity import requester
from tests.e2e.test_walking_skeleton import TENANT
from tests.integration.intake_support import a_pdf, next_working_morning

ZONE = "Asia/Makassar"
STORED = ("events", "contacts", "request_status", "documents")


async def stored_rows(database_url: str) -> dict[str, int]:
    conn = await asyncpg.connect(database_url)
    try:
        return {table: await conn.fetchval(f"select count(*) from intake.{table}") for table in STORED}
    finally:
        await conn.close()


def form_fields(csrf: str | None, **changes) -> dict:
    """What a requester types into /ajukan for a Kaltara meeting on a working morning (local time)."""
    day = next_working_morning(ZONE, 10).astimezone(ZoneInfo(ZONE)).date()
    fields = {
        "contact_name": "Siti Rahma",
        "contact_whatsapp": "081234567890",
        "contact_email": "siti@example.go.id",
        "letter_number": "005/123/Bappeda",
        "letter_date": date.today().isoformat(),
        "event_name": "Rapat Koordinasi RKPD",
        "agenda": "Penyusunan RKPD 2027",
        "date": day.isoformat(),
        "start_time": "09:00",
        "end_time": "11:00",
        "online_only": "1",
        "venue": "Ruang Rapat Bappeda",
        "leading_official_name": "Drs. Ahmad Yani",
        "leading_official_position": "Sekretaris Daerah",
        "speakers": "Dr. Rina Wati, Bappenas",
        "expected_participants": "40",
        "special_needs": ["recording", "breakout_rooms"],
        "equipment": "Laptop\nProyektor",
    }
    return ({"csrf_token": csrf} if csrf else {}) | fields | changes


def letter(content: bytes | None = None) -> dict:
    return {"request_letter": ("surat.pdf", content or a_pdf(), "application/pdf")}


async def submitted_through_the_form(http: httpx.AsyncClient, intake: str, csrf: str) -> str:
    sent = await http.post(f"{intake}/t/{TENANT}/ajukan", data=form_fields(csrf), files=letter())
    assert sent.status_code == 303, sent.text
    return sent.headers["location"]


async def test_the_form_asks_for_login_then_shows_the_tenants_requirements(system):
    intake = system.url("intake")
    async with httpx.AsyncClient() as http:
        anonymous = await http.get(f"{intake}/t/{TENANT}/ajukan", headers={"Accept": "text/html"})
        assert anonymous.status_code == 303 and anonymous.headers["location"] == f"/login?next=/t/{TENANT}/ajukan"
        await browser_login(http, intake, f"requester@{TENANT}")
        form = await http.get(f"{intake}/t/{TENANT}/ajukan")
        portal = await http.get(f"{intake}/")
    assert form.status_code == 200
    page = form.text
    assert "Surat permohonan penyelenggaraan video conference kepada Kepala Dinas" in page
    assert (
        "Isian wajib: instansi pemohon, kontak person, nama kegiatan, waktu mulai, waktu selesai, lokasi kegiatan"
        in page
    )
    assert "Tidak ada batas waktu pengajuan sebelum acara" in page and "jam layanan: Senin" in page
    assert '<p class="fixed" id="agency">Badan Perencanaan Pembangunan Daerah</p>' in page
    assert 'name="channel"' not in page and 'type="file"' in page and "Mengirim…" in page
    assert f'href="/t/{TENANT}/ajukan"' in portal.text


async def test_a_form_with_a_signed_letter_makes_a_request_and_opens_its_status_page(system):
    intake = system.url("intake")
    async with httpx.AsyncClient() as http:
        csrf = await browser_login(http, intake, f"requester@{TENANT}")
        status_url = await submitted_through_the_form(http, intake, csrf)
        code = status_url.rsplit("/", 1)[1]
        status_page = await http.get(f"{intake}{status_url}")
        mine = await http.get(f"{intake}/t/{TENANT}/permohonan")
    assert status_url == f"/t/{TENANT}/lacak/{code}"
    assert "Rapat Koordinasi RKPD" in status_page.text and "Diajukan" in status_page.text
    assert "Batalkan permohonan" in status_page.text and "Perbaiki permohonan" in status_page.text
    assert code in mine.text and mine.text.index(code) < mine.text.rfind("kode lacak")
    tracked = httpx.get(f"{intake}/api/{TENANT}/tracking/{code}", headers=requester()).json()
    assert tracked["agency"] == "Badan Perencanaan Pembangunan Daerah" and tracked["status"] == "submitted"
    assert datetime.fromisoformat(tracked["starts_at"]) == next_working_morning(ZONE, 10)


async def test_the_requester_amends_and_withdraws_through_the_pages(system):
    intake = system.url("intake")
    async with httpx.AsyncClient() as http:
        csrf = await browser_login(http, intake, f"requester@{TENANT}")
        status_url = await submitted_through_the_form(http, intake, csrf)
        page = (await http.get(f"{intake}{status_url}")).text
        amend_url = re.search(r'href="(/t/[^"]+/ubah)"', page).group(1)
        shown = await http.get(f"{intake}{amend_url}")
        assert 'value="Rapat Koordinasi RKPD"' in shown.text and 'value="siti@example.go.id"' in shown.text
        unchanged = await http.post(f"{intake}{amend_url}", data=form_fields(csrf))
        assert unchanged.status_code == 422 and "tidak ada perubahan pada permohonan" in unchanged.text
        amended = await http.post(f"{intake}{amend_url}", data=form_fields(csrf, expected_participants="60"))
        assert amended.status_code == 303, amended.text
        withdraw_url = amend_url.replace("/ubah", "/batal")
        withdrawn = await http.post(f"{intake}{withdraw_url}", data={"csrf_token": csrf, "reason": "Acara ditunda"})
        assert withdrawn.status_code == 303 and withdrawn.headers["location"] == status_url
        again = await http.post(f"{intake}{withdraw_url}", data={"csrf_token": csrf, "reason": ""})
        final = await http.get(f"{intake}{status_url}")
    assert again.status_code == 409 and "permohonan sudah dibatalkan" in again.text
    assert "Diperbaiki pemohon" in final.text and "Dibatalkan pemohon" in final.text
    assert "Batalkan permohonan" not in final.text


async def test_a_wrong_letter_and_an_end_before_the_start_are_both_shown_and_nothing_is_stored(system, database_url):
    intake = system.url("intake")
    async with httpx.AsyncClient() as http:
        csrf = await browser_login(http, intake, f"requester@{TENANT}")
        before = await stored_rows(database_url)
        refused = await http.post(
            f"{intake}/t/{TENANT}/ajukan",
            data=form_fields(csrf, start_time="11:00", end_time="09:00", agenda="Dijaga"),
            files=letter(b"GIF89a bukan surat"),
        )
        after = await stored_rows(database_url)
    assert refused.status_code == 422
    page = refused.text
    assert "periksa 2 isian" in page
    assert re.search(r'id="request_letter-error">berkas surat permohonan harus berupa PDF yang dapat dibuka<', page)
    assert re.search(r'id="end_time-error">waktu selesai harus setelah waktu mulai<', page)
    assert (
        'value="Rapat Koordinasi RKPD"' in page and ">Dijaga</textarea>" in page and 'value="recording" checked' in page
    )
    assert after == before


async def test_a_form_without_the_csrf_token_is_refused(system, database_url):
    intake = system.url("intake")
    async with httpx.AsyncClient() as http:
        await browser_login(http, intake, f"requester@{TENANT}")
        before = await stored_rows(database_url)
        forged = await http.post(f"{intake}/t/{TENANT}/ajukan", data=form_fields(None), files=letter())
        after = await stored_rows(database_url)
    assert forged.status_code == 403 and "CSRF" in forged.json()["message"]
    assert after == before


async def test_a_requester_of_another_agency_can_neither_see_nor_withdraw_the_request(system):
    intake = system.url("intake")
    other = "requester-dispar@kaltara"
    async with httpx.AsyncClient() as http:
        await http.put(
            f"{system.oidc_issuer}/users/{other}",
            json={"groups": [f"/vidcon/{TENANT}/requester"], "agency": "Dinas Pariwisata"},
        )
        csrf = await browser_login(http, intake, f"requester@{TENANT}")
        status_url = await submitted_through_the_form(http, intake, csrf)
        page = (await http.get(f"{intake}{status_url}")).text
        request_path = re.search(r'action="(/t/[^"]+)/batal"', page).group(1)
    async with httpx.AsyncClient() as http:
        csrf = await browser_login(http, intake, other)
        listed = await http.get(f"{intake}/t/{TENANT}/permohonan")
        shown = await http.get(f"{intake}{status_url}")
        amend_form = await http.get(f"{intake}{request_path}/ubah")
        withdrawn = await http.post(f"{intake}{request_path}/batal", data={"csrf_token": csrf, "reason": "iseng"})
    code = status_url.rsplit("/", 1)[1]
    assert listed.status_code == 200 and code not in listed.text and "Dinas Pariwisata" in listed.text
    assert "Batalkan permohonan" not in shown.text and "/ubah" not in shown.text
    assert amend_form.status_code == 403 and withdrawn.status_code == 403
    tracked = httpx.get(f"{intake}/api/{TENANT}/tracking/{code}", headers=requester()).json()
    assert tracked["status"] == "submitted"
