"""Issue 12, gap 5: the reschedule page, linked from the status page; post then redirect; each refusal at
its input (or above the form when it is about the whole request), and nothing stored."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

import httpx

from tests.auth import browser_login
from tests.e2e.test_intake_form_errors import errors_of
from tests.e2e.test_intake_pages import ZONE, stored_rows, submitted_through_the_form
from tests.e2e.test_walking_skeleton import TENANT
from tests.integration.intake_support import next_working_morning


async def test_the_requester_reschedules_from_the_status_page_and_refusals_show_at_their_inputs(system, database_url):
    intake = system.url("intake")
    later = next_working_morning(ZONE, 20).astimezone(ZoneInfo(ZONE)).date().isoformat()
    async with httpx.AsyncClient(base_url=intake) as http:
        csrf = await browser_login(http, intake, f"requester@{TENANT}")
        status_url = await submitted_through_the_form(http, intake, csrf)
        status = await http.get(status_url)
        page_url = re.search(r'id="reschedule" href="([^"]+/jadwal-ulang)"', status.text).group(1)
        shown = await http.get(page_url)
        assert shown.status_code == 200 and 'value="09:00"' in shown.text and 'value="11:00"' in shown.text
        first_day = re.search(r'name="date" type="date" value="([0-9-]+)"', shown.text).group(1)

        before = await stored_rows(database_url)
        no_date = await http.post(
            page_url, data={"csrf_token": csrf, "date": "", "start_time": "10:00", "end_time": "12:00"}
        )
        same = await http.post(
            page_url, data={"csrf_token": csrf, "date": first_day, "start_time": "09:00", "end_time": "11:00"}
        )
        assert await stored_rows(database_url) == before
        moved = await http.post(
            page_url,
            data={
                "csrf_token": csrf,
                "date": later,
                "start_time": "10:00",
                "end_time": "12:00",
                "reason": "Narasumber berhalangan",
            },
        )
        after_move = await http.get(status_url)
        await http.post(page_url.replace("/jadwal-ulang", "/batal"), data={"csrf_token": csrf, "reason": "Ditunda"})
        withdrawn = await http.post(
            page_url, data={"csrf_token": csrf, "date": later, "start_time": "13:00", "end_time": "14:00"}
        )
        closed = await http.get(status_url)
    assert no_date.status_code == 422 and errors_of(no_date.text) == {"date": "tanggal acara wajib diisi"}
    assert same.status_code == 422 and errors_of(same.text) == {"start_time": "jadwal baru sama dengan jadwal sekarang"}
    assert moved.status_code == 303 and moved.headers["location"] == status_url
    assert "Dijadwalkan ulang" in after_move.text and "Narasumber berhalangan" in after_move.text
    assert withdrawn.status_code == 422 and "permohonan sudah dibatalkan" in withdrawn.text
    assert 'id="reschedule"' in after_move.text and 'id="reschedule"' not in closed.text
