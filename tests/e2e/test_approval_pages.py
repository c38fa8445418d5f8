"""The officials' pages over the real services: a browser logged in through the local OIDC provider."""

from __future__ import annotations

import asyncio
import re

import httpx
import pytest

from tests.auth import browser_login
from tests.e2e.identity import requester
from tests.e2e.test_walking_skeleton import TENANT, a_request, letter_for, post
from tests.integration.helpers import wait_until

VERSION = re.compile(r'name="version" value="(\d+)"')


async def submitted(system) -> str:
    answer = await post(
        f"{system.url('intake')}/api/{TENANT}/requests", a_request(letter=await letter_for(system)), requester()
    )
    assert answer.status_code == 201, answer.text
    return answer.json()["request_id"]


async def logged_in(system, sub: str) -> tuple[httpx.AsyncClient, str]:
    browser = httpx.AsyncClient(base_url=system.url("approval"))
    return browser, await browser_login(browser, system.url("approval"), sub)


async def in_inbox(browser: httpx.AsyncClient, request_id: str) -> str | None:
    page = await browser.get(f"/t/{TENANT}/kotak-masuk")
    return page.text if request_id in page.text else None


def dispose_form(page: str, csrf: str, note: str) -> dict:
    return {"csrf_token": csrf, "role": "head_of_department", "version": VERSION.search(page)[1], "note": note}


@pytest.fixture
async def kadis(system):
    browser, csrf = await logged_in(system, f"head_of_department@{TENANT}")
    yield browser, csrf
    await browser.aclose()


async def test_the_head_of_departments_inbox_lists_a_fresh_request_with_due_time_and_time_left(system, kadis):
    request_id = await submitted(system)
    page = await wait_until(lambda: in_inbox(kadis[0], request_id), timeout=20)

    item = page[page.rindex("<li", 0, page.index(request_id)) : page.index("</li>", page.index(request_id))]
    assert "Rapat Koordinasi RKPD" in item and "WITA" in item and "batas " in item
    assert re.search(r"sisa (\d+ jam ?)?(\d+ menit)? kerja", item), item


async def test_disposing_through_the_form_moves_it_to_the_head_of_divisions_inbox(system, kadis):
    browser, csrf = kadis
    request_id = await submitted(system)
    await wait_until(lambda: in_inbox(browser, request_id), timeout=20)
    page = (await browser.get(f"/t/{TENANT}/permohonan/{request_id}")).text
    assert "Disposisikan ke Kepala Bidang" in page and "Surat permohonan penyelenggaraan" in page

    done = await browser.post(
        f"/t/{TENANT}/permohonan/{request_id}/dispose", data=dispose_form(page, csrf, "Mohon difasilitasi")
    )
    assert done.status_code == 303 and done.headers["location"] == f"/t/{TENANT}/permohonan/{request_id}"
    shown = (await browser.get(done.headers["location"])).text
    assert "Permohonan telah didisposisikan." in shown and "Didisposisikan" in shown and "Mohon difasilitasi" in shown
    assert "sesuai standar" in shown or "melewati standar" in shown

    assert request_id not in (await browser.get(f"/t/{TENANT}/kotak-masuk")).text
    kabid, _ = await logged_in(system, f"head_of_division@{TENANT}")
    found = await in_inbox(kabid, request_id)
    await kabid.aclose()
    assert found


async def test_a_form_post_without_the_csrf_token_is_refused(system, kadis):
    browser, csrf = kadis
    request_id = await submitted(system)
    await wait_until(lambda: in_inbox(browser, request_id), timeout=20)
    page = (await browser.get(f"/t/{TENANT}/permohonan/{request_id}")).text

    forged = dispose_form(page, csrf, "dari situs lain") | {"csrf_token": "tebakan"}
    assert (await browser.post(f"/t/{TENANT}/permohonan/{request_id}/dispose", data=forged)).status_code == 403
    without = {k: v for k, v in forged.items() if k != "csrf_token"}
    assert (await browser.post(f"/t/{TENANT}/permohonan/{request_id}/dispose", data=without)).status_code == 403
    assert await in_inbox(browser, request_id)


async def test_a_leader_is_refused_the_inbox_and_a_stranger_is_sent_to_log_in(system):
    leader, _ = await logged_in(system, f"leader@{TENANT}")
    refused = await leader.get(f"/t/{TENANT}/kotak-masuk")
    await leader.aclose()
    assert refused.status_code == 403
    async with httpx.AsyncClient(base_url=system.url("approval")) as stranger:
        sent = await stranger.get(f"/t/{TENANT}/kotak-masuk", headers={"Accept": "text/html"})
    assert sent.status_code == 303 and sent.headers["location"] == f"/login?next=/t/{TENANT}/kotak-masuk"


async def test_the_start_page_leads_an_official_to_their_inbox(system, kadis):
    start = await kadis[0].get("/")
    assert start.status_code == 303 and start.headers["location"] == f"/t/{TENANT}/kotak-masuk"


async def test_two_officials_send_the_same_form_at_once_one_acts_the_other_sees_the_fresh_view(system, kadis):
    async with httpx.AsyncClient() as http:
        claims = {"groups": [f"/vidcon/{TENANT}/head_of_department"]}
        (await http.put(f"{system.oidc_issuer}/users/plt-kadis@{TENANT}", json=claims)).raise_for_status()
    second = await logged_in(system, f"plt-kadis@{TENANT}")
    request_id = await submitted(system)
    await wait_until(lambda: in_inbox(kadis[0], request_id), timeout=20)
    url = f"/t/{TENANT}/permohonan/{request_id}"
    pages = [(await browser.get(url)).text for browser, _ in (kadis, second)]

    answers = await asyncio.gather(
        *[
            browser.post(f"{url}/dispose", data=dispose_form(page, csrf, f"oleh {i}"))
            for i, ((browser, csrf), page) in enumerate(zip((kadis, second), pages))
        ]
    )
    await second[0].aclose()

    assert sorted(a.status_code for a in answers) == [303, 409]
    refused = next(a for a in answers if a.status_code == 409).text
    assert "baru saja ditindaklanjuti oleh petugas lain" in refused
    assert "Didisposisikan" in refused and "Disposisikan ke Kepala Bidang" not in refused
    assert refused.count("<strong>Didisposisikan</strong>") == 1
