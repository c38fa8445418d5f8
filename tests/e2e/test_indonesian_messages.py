"""Messages a requester or an API client meets, in Indonesian: an amendment's timeline entry and
mail, a time without zone, a body over the limit."""

from __future__ import annotations

import httpx

from fakes.smtp import read_mail_dir
from tests.e2e.identity import requester
from tests.e2e.test_error_pages import PAGE
from tests.e2e.test_walking_skeleton import a_request, letter_for, post
from tests.english import assert_no_english
from tests.integration.helpers import wait_until


async def test_an_amendment_is_told_in_indonesian_on_the_status_page_and_in_the_mail(system):
    intake = system.url("intake")
    body = a_request(letter=await letter_for(system))
    submitted = (await post(f"{intake}/api/kaltara/requests", body, requester())).json()
    amended = await post(
        f"{intake}/api/kaltara/requests/{submitted['request_id']}/amend",
        {"venue": "Aula Bappeda", "documents": {"request_letter": await letter_for(system)}},
        requester(),
    )
    assert amended.status_code == 200 and amended.json()["changed"] == ["documents", "venue"]
    code = submitted["tracking_code"]
    page = httpx.get(f"{system.address}/t/kaltara/lacak/{code}", headers=PAGE).text
    assert "berkas, lokasi kegiatan" in page
    assert_no_english(page)

    async def mailed():
        return [
            m.get_content()
            for m in read_mail_dir(system.extra_env["MAIL_DIR"])
            if code in m["Subject"] and "Diperbaiki pemohon" in m["Subject"]
        ]

    [mail] = await wait_until(mailed, timeout=30)
    assert "Keterangan: berkas, lokasi kegiatan" in mail and "documents" not in mail


async def test_api_clients_meet_indonesian_for_a_time_without_zone_and_a_body_over_the_limit(system):
    naive = a_request() | {"starts_at": "2026-12-21T09:00:00"}
    refused = await post(f"{system.address}/api/kaltara/requests", naive, requester())
    assert refused.status_code == 422
    assert {
        "field": "starts_at",
        "rule": "harus menyertakan zona waktu (contoh: 2026-12-01T09:00:00+07:00)",
    } in refused.json()["errors"]

    async def unannounced():  # no Content-Length: the limit is only found while reading
        yield b'{"agenda": "'
        for _ in range(13):
            yield b"x" * (1024 * 1024)
        yield b'"}'

    async with httpx.AsyncClient(headers=requester() | {"Content-Type": "application/json"}, timeout=30) as http:
        too_large = await http.post(f"{system.url('intake')}/api/kaltara/requests", content=unannounced())
    assert too_large.status_code == 413, too_large.text
    assert too_large.json()["message"] == "Ukuran kiriman melebihi batas 12 MB; kirim berkas yang lebih kecil."
