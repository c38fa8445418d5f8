"""The technical team's pages through the real processes: schedule, today's meetings, checks, start/end, report."""

from __future__ import annotations

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import httpx

from tests.auth import browser_login
from tests.e2e.identity import requester
from tests.e2e.test_provisioning_flow import _put, approved_request
from tests.e2e.test_walking_skeleton import get_json
from tests.integration.helpers import wait_until

TENANT = "kaltara"
WITA = ZoneInfo("Asia/Makassar")


async def _scheduled(system, as_user, days_ahead: int | None = None) -> tuple[str, str, dict, str]:
    """An approved request's meeting on its account, with an operator and a kit; returns its day (WITA)."""
    request_id, code, body = await approved_request(system, as_user, days_ahead=days_ahead)
    meeting_url = f"{system.url('provisioning')}/api/{TENANT}/meetings/{request_id}"
    team = await as_user(f"technical_team@{TENANT}")

    async def scheduled():
        meeting = await get_json(meeting_url, team)
        return meeting if meeting and meeting["meeting_id"] else None

    meeting = await wait_until(scheduled, timeout=30)
    crew = await _put(f"{meeting_url}/crew", {"operators": ["operator1@kaltara"], "kit_id": "kit-1"}, team)
    assert crew.status_code == 200, crew.text
    day = datetime.fromisoformat(body["starts_at"]).astimezone(WITA).date().isoformat()
    return request_id, code, meeting, day


def _track_of(html: str, resource: str) -> str:
    rows = [row for row in html.split('class="track-row"') if f'class="track-name">{resource}' in row]
    return "".join(rows)


async def _meeting(system, as_user, request_id: str) -> dict:
    return await get_json(
        f"{system.url('provisioning')}/api/{TENANT}/meetings/{request_id}", await as_user(f"technical_team@{TENANT}")
    )


async def test_the_team_finds_the_booking_checks_the_meeting_ready_records_it_and_reports_it_held(system, as_user):
    request_id, code, meeting, day = await _scheduled(system, as_user, days_ahead=17)
    provisioning = system.url("provisioning")
    async with httpx.AsyncClient(base_url=provisioning) as team, httpx.AsyncClient(base_url=provisioning) as operator:
        await browser_login(team, provisioning, f"technical_team@{TENANT}")
        csrf = await browser_login(operator, provisioning, f"operator@{TENANT}")

        schedule = await team.get(f"/t/{TENANT}/jadwal", params={"hari": day})
        assert schedule.status_code == 200 and "Jadwal" in schedule.text
        assert f"#rapat-{request_id}" in _track_of(schedule.text, meeting["account_id"])
        assert f"#rapat-{request_id}" in _track_of(schedule.text, "operator1@kaltara")
        assert "Rapat Koordinasi RKPD" in schedule.text and 'rel="next"' in schedule.text

        today = await operator.get(f"/t/{TENANT}/hari-ini", params={"hari": day})
        assert today.status_code == 200 and f'id="rapat-{request_id}"' in today.text
        assert meeting["join_url"] in today.text and "Belum siap" in today.text
        assert f"/rapat/{request_id}/periksa/trial_run" in today.text
        assert f"/rapat/{request_id}/periksa/venue" not in today.text  # online only: network and trial run

        for check in ("network", "trial_run"):
            done = await operator.post(
                f"/t/{TENANT}/rapat/{request_id}/periksa/{check}", data={"csrf_token": csrf, "hari": day}
            )
            assert done.status_code == 303 and done.headers["location"].endswith(f"#rapat-{request_id}")
        assert (await _meeting(system, as_user, request_id))["ready"] is True
        after_checks = await operator.get(f"/t/{TENANT}/hari-ini", params={"hari": day})
        assert "Uji coba: tercatat selesai." in after_checks.text and "operator@kaltara," in after_checks.text

        refused = await operator.post(f"/t/{TENANT}/rapat/{request_id}/mulai", data={"csrf_token": csrf, "hari": day})
        told = await operator.get(refused.headers["location"])
        assert "waktu mulai baru dapat dicatat paling awal 15 menit sebelumnya" in told.text  # 17 days early
        assert (await _meeting(system, as_user, request_id))["started_at"] is None

        report = f"/t/{TENANT}/rapat/{request_id}/laporan"
        form = await operator.get(report)
        assert form.status_code == 200 and 'name="attendance"' in form.text
        refused = await operator.post(
            report, data={"csrf_token": csrf, "attendance": "-1", "leading_official": "Asisten Pemerintahan"}
        )
        assert refused.status_code == 422 and "Jumlah peserta hadir: paling kecil 0" in refused.text
        assert 'value="Asisten Pemerintahan"' in refused.text
        assert (await _meeting(system, as_user, request_id))["held"] is False

        starts = datetime.fromisoformat(meeting["starts_at"]).astimezone(WITA)
        held = await operator.post(
            report,
            data={
                "csrf_token": csrf,
                "attendance": "37",
                "recording_kept": "ya",
                "leading_official": "Asisten Pemerintahan",
                "problems": "Tidak ada",
                "started_at": f"{starts:%Y-%m-%dT%H:%M}",
                "ended_at": f"{starts.replace(hour=starts.hour + 2):%Y-%m-%dT%H:%M}",
            },
        )
        assert held.status_code == 303, held.text
        told = await operator.get(held.headers["location"])
        assert "Laporan pelaksanaan tersimpan" in told.text and "Sudah dilaporkan" in told.text
    assert (await _meeting(system, as_user, request_id))["held"] is True

    async def held_on_status():
        status = await get_json(f"{system.url('intake')}/api/{TENANT}/tracking/{code}", requester())
        return status and status["status"] == "held"

    assert await wait_until(held_on_status, timeout=30)


async def test_a_page_action_without_the_csrf_token_is_refused(system):
    provisioning = system.url("provisioning")
    request_id = uuid.uuid4()
    async with httpx.AsyncClient(base_url=provisioning) as team:
        await browser_login(team, provisioning, f"technical_team@{TENANT}")
        missing = await team.post(f"/t/{TENANT}/rapat/{request_id}/periksa/network", data={"hari": "2026-12-08"})
        forged = await team.post(
            f"/t/{TENANT}/rapat/{request_id}/laporan", data={"csrf_token": "forged", "attendance": "10"}
        )
    assert missing.status_code == 403 and forged.status_code == 403
    assert "CSRF" in missing.json()["message"]


async def test_a_requester_is_refused_and_an_anonymous_browser_is_sent_to_login(system):
    provisioning = system.url("provisioning")
    paths = [f"/t/{TENANT}/jadwal", f"/t/{TENANT}/hari-ini", f"/t/{TENANT}/rapat/{uuid.uuid4()}/laporan"]
    async with httpx.AsyncClient(base_url=provisioning) as agency_staff:
        await browser_login(agency_staff, provisioning, f"requester@{TENANT}")
        assert [(await agency_staff.get(path)).status_code for path in paths] == [403, 403, 403]
    async with httpx.AsyncClient(base_url=provisioning, headers={"Accept": "text/html"}) as anonymous:
        sent = await anonymous.get(f"/t/{TENANT}/hari-ini", follow_redirects=False)
    assert sent.status_code == 303 and sent.headers["location"] == f"/login?next=/t/{TENANT}/hari-ini"
