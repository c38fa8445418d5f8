"""What keeps the public doors safe: CSRF on forms, rate limits, a ceiling on uploads."""

from __future__ import annotations

import httpx

from tests.auth import browser_login
from tests.e2e.identity import requester


async def test_a_logged_in_browser_must_echo_its_csrf_token_on_a_change(system):
    url = f"{system.url('complaints')}/api/kaltara/complaints/{'0' * 8}-0000-0000-0000-{'0' * 12}/resolve"
    async with httpx.AsyncClient() as http:
        csrf = await browser_login(http, system.url("complaints"), "complaints_officer@kaltara")
        forged = await http.post(url)
        echoed = await http.post(url, headers={"X-CSRF-Token": csrf})
    assert forged.status_code == 403 and "CSRF" in forged.json()["message"]
    assert echoed.status_code == 404  # past the door: the complaint simply does not exist


async def test_a_public_form_is_rate_limited_per_address(system):
    complaint = {"name": "Budi", "contact": "081200000000", "summary": "Uji batas kiriman formulir publik"}
    async with httpx.AsyncClient() as http:
        answers = [
            (await http.post(f"{system.url('complaints')}/api/tangerang/complaints", json=complaint)) for _ in range(11)
        ]
    assert [a.status_code for a in answers[:10]] == [201] * 10
    assert answers[10].status_code == 429
    assert answers[10].json()["message"].startswith("Terlalu banyak permintaan")


async def test_an_oversized_upload_is_refused_before_it_is_read(system):
    too_big = b"%PDF-1.4\n" + b"0" * (13 * 1024 * 1024)
    async with httpx.AsyncClient(headers=requester()) as http:
        answer = await http.post(
            f"{system.url('intake')}/api/kaltara/documents",
            data={"kind": "request_letter"},
            files={"file": ("surat.pdf", too_big, "application/pdf")},
        )
    assert answer.status_code == 413 and "melebihi batas 12 MB" in answer.json()["message"]
