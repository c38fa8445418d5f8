"""Calendar feeds through the real processes: the requester's agency and the operator subscribe at
the one address, their calendar apps read the secret address, and a new address ends the old one."""

from __future__ import annotations

import re
from datetime import datetime
from html import unescape

import httpx
from icalendar import Calendar

from tests.auth import browser_login
from tests.e2e.test_provisioning_pages import TENANT, _scheduled

FEED = re.compile(r'value="(http[^"]+/kalender/[^"]+\.ics)"')


async def signed_in(system, sub: str) -> tuple[httpx.AsyncClient, str]:
    browser = httpx.AsyncClient(base_url=system.address, follow_redirects=True, timeout=30)
    return browser, await browser_login(browser, system.address, sub)


def events_of(body: bytes) -> dict[str, dict]:
    calendar = Calendar.from_ical(body)
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


async def feed_address(browser: httpx.AsyncClient, start: str, link_text: str) -> tuple[str, str]:
    """From `start`, follow the link named `link_text`; the calendar page and its first feed address."""
    page = await browser.get(start)
    [href] = [
        unescape(h)
        for h, text in re.findall(r'<a[^>]*href="([^"]+)"[^>]*>([^<]+)</a>', page.text)
        if text.strip() == link_text
    ]
    subscriptions = await browser.get(href)
    assert subscriptions.status_code == 200, subscriptions.text
    return subscriptions.text, FEED.search(subscriptions.text)[1]


async def test_the_agency_and_the_operator_see_the_meeting_in_their_calendars(system, as_user):
    request_id, _, meeting, _ = await _scheduled(system, as_user)
    requester, _ = await signed_in(system, f"requester@{TENANT}")
    page, agency_feed = await feed_address(requester, f"/t/{TENANT}/permohonan", "Langganan kalender rapat")
    assert "Rapat instansi Anda" in page and agency_feed.startswith(system.address)

    anonymous = httpx.Client(timeout=30)
    answer = anonymous.get(agency_feed)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/calendar")
    event = events_of(answer.content)[f"{request_id}@vidcon"]
    assert str(event["status"]) == "CONFIRMED" and meeting["join_url"] in str(event["description"])
    assert event.decoded("dtstart") == datetime.fromisoformat(meeting["starts_at"])

    operator, _ = await signed_in(system, f"operator1@{TENANT}")
    page, duties_feed = await feed_address(operator, f"/t/{TENANT}/hari-ini", "Langganan kalender")
    assert "Tugas operator Anda" in page
    assert f"{request_id}@vidcon" in events_of(anonymous.get(duties_feed).content)
    other_operator, _ = await signed_in(system, f"operator2@{TENANT}")
    _, not_on_duty = await feed_address(other_operator, f"/t/{TENANT}/hari-ini", "Langganan kalender")
    assert f"{request_id}@vidcon" not in events_of(anonymous.get(not_on_duty).content)
    for browser in (requester, operator, other_operator):
        await browser.aclose()


async def test_a_new_address_ends_the_old_one(system):
    requester, csrf = await signed_in(system, f"requester@{TENANT}")
    _, old = await feed_address(requester, f"/t/{TENANT}/permohonan", "Langganan kalender rapat")
    renewed = await requester.post(f"/t/{TENANT}/kalender/agency/baru", data={"csrf_token": csrf})
    assert renewed.status_code == 200 and "alamat lama tidak berlaku lagi" in renewed.text
    new = FEED.search(renewed.text)[1]
    assert new != old
    assert httpx.get(old).status_code == 404 and httpx.get(new).status_code == 200
    await requester.aclose()
