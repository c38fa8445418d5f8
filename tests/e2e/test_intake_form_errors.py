"""Issue 12, gap 7: the request form takes one contact channel, shows every error at once, each at its
own input, and keeps the uploaded letter across a refusal."""

from __future__ import annotations

import re

import asyncpg
import httpx

from tests.auth import browser_login
from tests.e2e.test_intake_pages import form_fields, letter, stored_rows
from tests.e2e.test_walking_skeleton import TENANT


def errors_of(page: str) -> dict[str, str]:
    return dict(re.findall(r'<p class="field-error" id="([a-z_]+)-error">([^<]*)</p>', page))


async def test_an_empty_email_or_an_empty_whatsapp_is_accepted_but_not_both(system):
    intake = system.url("intake")
    async with httpx.AsyncClient() as http:
        csrf = await browser_login(http, intake, f"requester@{TENANT}")
        whatsapp_only = await http.post(
            f"{intake}/t/{TENANT}/ajukan", files=letter(), data=form_fields(csrf, contact_email="")
        )
        email_only = await http.post(
            f"{intake}/t/{TENANT}/ajukan", files=letter(), data=form_fields(csrf, contact_whatsapp=" ")
        )
        neither = await http.post(
            f"{intake}/t/{TENANT}/ajukan", files=letter(), data=form_fields(csrf, contact_whatsapp="", contact_email="")
        )
    assert whatsapp_only.status_code == 303, errors_of(whatsapp_only.text)
    assert email_only.status_code == 303, errors_of(email_only.text)
    assert neither.status_code == 422
    assert errors_of(neither.text) == {"contact_email": "isi nomor WhatsApp atau email kontak person (salah satu)"}


async def test_every_error_is_shown_at_its_field_in_one_answer_and_nothing_but_the_letter_is_kept(system, database_url):
    intake = system.url("intake")
    async with httpx.AsyncClient() as http:
        csrf = await browser_login(http, intake, f"requester@{TENANT}")
        before = await stored_rows(database_url)
        blank = {"contact_name": "", "event_name": "", "date": "", "online_only": "", "venue": ""}
        refused = await http.post(
            f"{intake}/t/{TENANT}/ajukan", files=letter(), data=form_fields(csrf, **blank, contact_whatsapp="12")
        )
        after = await stored_rows(database_url)
        errors = errors_of(refused.text)
        assert refused.status_code == 422
        assert set(errors) == {"contact_name", "contact_whatsapp", "event_name", "date", "venue"}, errors
        assert errors["date"] == "tanggal acara wajib diisi" and "start_time" not in errors
        assert f"periksa {len(errors)} isian" in refused.text
        assert after == before | {"documents": before["documents"] + 1}
        kept = re.search(r'name="kept_request_letter" value="([0-9a-f-]{36})"', refused.text).group(1)
        shown = r'id="request_letter-kept">✓ berkas sudah diunggah: <strong>surat.pdf</strong>'
        assert re.search(shown, refused.text)

        sent = await http.post(f"{intake}/t/{TENANT}/ajukan", data=form_fields(csrf, kept_request_letter=kept))
    assert sent.status_code == 303, errors_of(sent.text)
    conn = await asyncpg.connect(database_url)
    try:
        assert await conn.fetchval(
            "select request_id is not null from intake.documents where document_ref::text = $1", kept
        )
    finally:
        await conn.close()


async def test_a_kept_upload_already_claimed_by_a_request_is_not_taken_again(system, database_url):
    intake = system.url("intake")
    async with httpx.AsyncClient() as http:
        csrf = await browser_login(http, intake, f"requester@{TENANT}")
        first = await http.post(f"{intake}/t/{TENANT}/ajukan", files=letter(), data=form_fields(csrf, date=""))
        kept = re.search(r'name="kept_request_letter" value="([0-9a-f-]{36})"', first.text).group(1)
        assert (
            await http.post(f"{intake}/t/{TENANT}/ajukan", data=form_fields(csrf, kept_request_letter=kept))
        ).status_code == 303
        again = await http.post(f"{intake}/t/{TENANT}/ajukan", data=form_fields(csrf, kept_request_letter=kept))
    assert again.status_code == 422 and "kept_request_letter" not in again.text
    assert "request_letter" in errors_of(again.text)
