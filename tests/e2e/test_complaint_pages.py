"""Issue 10's refusals and roles on the complaints pages: bad input named in Indonesian with
nothing stored; a member of the handling team sees and answers only what was handed on; a
suggestion is received without deadline and counted apart."""

from __future__ import annotations

import asyncpg
import httpx

from tests.auth import browser_login
from tests.e2e.test_complaints_browser import a_photo

TENANT = "tangerang"


async def stored(database_url: str) -> tuple[int, int, int]:
    conn = await asyncpg.connect(database_url)
    try:
        return (
            await conn.fetchval("select count(*) from complaints.events"),
            await conn.fetchval("select count(*) from complaints.complainants"),
            await conn.fetchval("select count(*) from complaints.complaint_attachments"),
        )
    finally:
        await conn.close()


async def file(http: httpx.AsyncClient, base: str, fields: dict, files: dict | None = None) -> httpx.Response:
    return await http.post(f"{base}/t/{TENANT}/pengaduan", data=fields, files=files)


GOOD = {"summary": "Suara narasumber putus-putus sepanjang rapat", "name": "Dedi", "whatsapp": "081311112222"}


async def test_bad_input_on_the_public_page_is_named_and_nothing_is_stored(system, database_url):
    base, before = system.url("complaints"), await stored(database_url)
    async with httpx.AsyncClient(timeout=30) as http:
        empty = await file(http, base, {"name": "Dedi"})
        nameless = await file(http, base, GOOD | {"name": ""})
        bad_phone = await file(http, base, GOOD | {"whatsapp": "12345"})
        too_big = await file(
            http, base, GOOD, {"attachment": ("foto.png", a_photo() + b"\0" * (5 * 1024 * 1024), "image/png")}
        )
        disguised = await file(
            http, base, GOOD, {"attachment": ("surat.pdf", b"%PDF-1.4 bukan pdf", "application/pdf")}
        )
    assert empty.status_code == 422 and "Isi: wajib diisi" in empty.text
    assert nameless.status_code == 422 and "Nama: isi nama, atau pilih tanpa nama (anonim)" in nameless.text
    assert bad_phone.status_code == 422 and "Nomor WhatsApp: formatnya tidak sesuai" in bad_phone.text
    assert too_big.status_code == 422 and "Lampiran: berkas lampiran melebihi batas 5 MB" in too_big.text
    assert disguised.status_code == 422
    assert "Lampiran: berkas lampiran harus berupa foto JPEG atau PNG, atau PDF yang dapat dibuka" in disguised.text
    assert 'value="Suara narasumber putus-putus sepanjang rapat"' in too_big.text or "Suara narasumber" in too_big.text
    assert await stored(database_url) == before


async def test_the_team_sees_and_answers_only_what_was_handed_on(system):
    base = system.url("complaints")
    async with httpx.AsyncClient(timeout=30, follow_redirects=True) as public:
        handed, kept = [await file(public, base, GOOD | {"summary": f"Keluhan nomor {n}: gambar beku"}) for n in (1, 2)]
    codes = [str(r.url).split("/")[-1].split("?")[0] for r in (handed, kept)]
    async with (
        httpx.AsyncClient(timeout=30, follow_redirects=True) as officer,
        httpx.AsyncClient(timeout=30, follow_redirects=True) as team,
    ):
        csrf = await browser_login(officer, base, f"complaints_officer@{TENANT}")
        ids = [
            (await officer.get(f"{base}/api/{TENANT}/complaint-tracking/{code}")).json()["complaint_id"]
            for code in codes
        ]
        for complaint_id in ids:
            page = f"{base}/t/{TENANT}/pengaduan/kasus/{complaint_id}"
            classified = await officer.post(f"{page}/klasifikasi", data={"csrf_token": csrf, "kind": "normative"})
            assert "Pengaduan diklasifikasi; batas waktu ditetapkan." in classified.text
        handing = await officer.post(
            f"{base}/t/{TENANT}/pengaduan/kasus/{ids[0]}/serahkan",
            data={"csrf_token": csrf, "assignee": f"complaints_team@{TENANT}"},
        )
        assert "Pengaduan diserahkan ke tim penanganan." in handing.text

        team_csrf = await browser_login(team, base, f"complaints_team@{TENANT}")
        inbox = await team.get(f"{base}/t/{TENANT}/pengaduan/masuk")
        assert codes[0] in inbox.text and codes[1] not in inbox.text
        not_mine = await team.post(
            f"{base}/t/{TENANT}/pengaduan/kasus/{ids[1]}/jawab",
            data={"csrf_token": team_csrf, "answer": "Sudah kami periksa jaringannya."},
        )
        assert not_mine.status_code == 403 and "tidak diserahkan kepada Anda" in not_mine.text
        closing = await team.post(f"{base}/t/{TENANT}/pengaduan/kasus/{ids[0]}/tutup", data={"csrf_token": team_csrf})
        assert closing.status_code == 403
        answered = await team.post(
            f"{base}/t/{TENANT}/pengaduan/kasus/{ids[0]}/jawab",
            data={"csrf_token": team_csrf, "answer": "Sudah kami periksa jaringannya."},
        )
        assert "Jawaban dikirim ke pengadu" in answered.text
        tracking = (await officer.get(f"{base}/api/{TENANT}/complaint-tracking/{codes[0]}")).json()
    assert tracking["status"] == "answered" and tracking["answers"][0]["body"] == "Sudah kami periksa jaringannya."


async def test_a_suggestion_has_no_deadline_and_is_counted_apart(system):
    base = system.url("complaints")
    async with httpx.AsyncClient(timeout=30, follow_redirects=True) as http:
        filed = await file(
            http,
            base,
            {
                "category": "suggestion",
                "anonymous": "ya",
                "summary": "Mohon sediakan juru bahasa isyarat pada rapat umum",
            },
        )
        code = str(filed.url).split("/")[-1].split("?")[0]
        assert "Saran/masukan sudah kami terima." in filed.text and "Batas waktu" not in filed.text
        csrf = await browser_login(http, base, f"complaints_officer@{TENANT}")
        inbox = await http.get(f"{base}/t/{TENANT}/pengaduan/masuk")
        listed = (await http.get(f"{base}/api/{TENANT}/complaints", headers={"X-CSRF-Token": csrf})).json()
    assert code in inbox.text.split('id="saran"')[1]
    assert code not in inbox.text.split('id="saran"')[0]
    assert any(f["tracking_code"] == code and f["due_at"] is None for f in listed["feedback"])
    assert listed["counts"]["suggestion"] >= 1


async def test_the_officer_records_a_phone_complaint_classified_at_once(system):
    base = system.url("complaints")
    async with httpx.AsyncClient(timeout=30, follow_redirects=True) as officer:
        csrf = await browser_login(officer, base, f"complaints_officer@{TENANT}")
        form = await officer.get(f"{base}/t/{TENANT}/pengaduan/catat")
        assert '<option value="phone">Telepon</option>' in form.text and 'value="whatsapp"' not in form.text
        recorded = await officer.post(
            f"{base}/t/{TENANT}/pengaduan/catat", data=GOOD | {"csrf_token": csrf, "channel": "phone", "kind": "light"}
        )
        unserved = await officer.post(
            f"{base}/t/{TENANT}/pengaduan/catat", data=GOOD | {"csrf_token": csrf, "channel": "whatsapp"}
        )
    assert "Pengaduan sudah kami terima." in recorded.text and "Batas waktu penyelesaian" in recorded.text
    assert "Kembali ke kotak masuk pengaduan" in recorded.text
    assert unserved.status_code == 422
    assert "Diterima lewat: saluran pengaduan ini tidak dilayani; pilih: face_to_face, phone, email" in unserved.text
