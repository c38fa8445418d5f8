"""Issue 12, gap 1: the officials open every document of a request from approval's page; intake serves
it at the one address to those who may read it, and each read is in the personal-data audit trail."""

from __future__ import annotations

import re
from contextlib import asynccontextmanager

import asyncpg
import httpx

from tests.auth import browser_login
from tests.e2e.test_intake_pages import form_fields, letter
from tests.e2e.test_walking_skeleton import TENANT, letter_for
from tests.integration.helpers import wait_until
from tests.integration.intake_support import a_pdf, a_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@asynccontextmanager
async def logged_in(system, sub: str):
    async with httpx.AsyncClient(base_url=system.address, timeout=30) as http:
        await browser_login(http, system.address, sub)
        yield http


async def submitted_with_participants(system, then_replace_the_letter: bool = False) -> str:
    async with logged_in(system, f"requester@{TENANT}") as requester:
        csrf = (await requester.get("/auth/session")).json()["csrf"]
        files = letter() | {"participant_list": ("peserta.xlsx", a_workbook(), XLSX)}
        sent = await requester.post(f"/t/{TENANT}/ajukan", data=form_fields(csrf), files=files)
        assert sent.status_code == 303, sent.text
        status = await requester.get(sent.headers["location"])
        amend_url = re.search(r'href="(/t/[^"]+/permohonan/[0-9a-f-]{36}/ubah)"', status.text).group(1)
        if then_replace_the_letter:
            amended = await requester.post(
                amend_url,
                data=form_fields(csrf),
                files={"request_letter": ("surat-baru.pdf", a_pdf(), "application/pdf")},
            )
            assert amended.status_code == 303, amended.text
    return amend_url.split("/")[-2]


async def audited(database_url: str, refs: list[str]) -> list[tuple[str, str, str, str]]:
    """(subject_ref, actor, action, purpose) of every audit row about `refs`, oldest first."""
    conn = await asyncpg.connect(database_url)
    try:
        rows = await conn.fetch(
            "select subject_ref, actor, action, purpose from intake.personal_data_audit"
            " where subject_ref = any($1::text[]) order by id",
            refs,
        )
    finally:
        await conn.close()
    return [tuple(row.values()) for row in rows]


async def test_the_head_of_department_opens_the_letter_and_the_participant_list_from_the_request_page(
    system, database_url
):
    request_id = await submitted_with_participants(system)
    async with logged_in(system, f"head_of_department@{TENANT}") as kadis:

        async def page_with_documents():
            page = await kadis.get(f"/t/{TENANT}/permohonan/{request_id}")
            return page.status_code == 200 and "berkas-participant_list" in page.text and page.text

        page = await wait_until(page_with_documents, timeout=20)
        links = dict(re.findall(r'id="berkas-(\w+)" href="([^"]+)"', page))
        assert set(links) == {"request_letter", "participant_list"}
        assert all(href.startswith(f"{system.address}/t/{TENANT}/berkas/") for href in links.values())
        assert "Buka surat permohonan (PDF)" in page and "Buka daftar peserta" in page
        pdf, sheet = (await kadis.get(links["request_letter"]), await kadis.get(links["participant_list"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.headers["content-disposition"].startswith("inline")
    assert sheet.status_code == 200 and sheet.headers["content-type"] == XLSX
    assert sheet.headers["content-disposition"] == "attachment; filename*=UTF-8''peserta.xlsx"
    assert pdf.headers["cache-control"] == "private, no-store"
    refs = [href.rsplit("/", 1)[1] for href in links.values()]
    assert sorted(row[:3] for row in await audited(database_url, refs)) == sorted(
        (ref, f"head_of_department@{TENANT}", "read") for ref in refs
    )


async def test_a_document_is_refused_to_a_leader_and_an_unclaimed_upload_to_everyone(system, database_url):
    request_id = await submitted_with_participants(system)
    unclaimed = await letter_for(system)
    async with (
        logged_in(system, f"head_of_department@{TENANT}") as kadis,
        logged_in(system, f"leader@{TENANT}") as leader,
    ):
        page = await wait_until(lambda: _page_text(kadis, f"/t/{TENANT}/permohonan/{request_id}"), timeout=20)
        href = re.search(r'id="berkas-request_letter" href="([^"]+)"', page).group(1)
        refused = await leader.get(href, headers={"Accept": "application/json"})
        not_claimed = await kadis.get(f"/t/{TENANT}/berkas/{unclaimed}", headers={"Accept": "application/json"})
    assert refused.status_code == 403
    assert not_claimed.status_code == 404 and "berkas tidak ditemukan" in not_claimed.text
    assert await audited(database_url, [href.rsplit("/", 1)[1], unclaimed]) == []


async def _page_text(http: httpx.AsyncClient, path: str) -> str | None:
    page = await http.get(path)
    return page.text if page.status_code == 200 and "berkas-request_letter" in page.text else None


async def test_a_letter_replaced_by_amending_is_the_one_the_officials_open(system):
    request_id = await submitted_with_participants(system, then_replace_the_letter=True)
    async with logged_in(system, f"head_of_department@{TENANT}") as kadis:

        async def replaced():
            page = await _page_text(kadis, f"/t/{TENANT}/permohonan/{request_id}")
            href = page and re.search(r'id="berkas-request_letter" href="([^"]+)"', page).group(1)
            opened = href and await kadis.get(href)
            return opened and "surat-baru.pdf" in opened.headers["content-disposition"] and opened

        opened = await wait_until(replaced, timeout=20)
    assert opened.status_code == 200 and opened.content.startswith(b"%PDF-")
