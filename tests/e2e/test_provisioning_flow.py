"""Approval to EquipmentReady to MeetingHeld through the real processes and the fake Zoom."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import httpx

from fakes.zoom_webhooks import signed
from tests.e2e.test_walking_skeleton import a_request, get_json, letter_for, post
from tests.e2e.identity import requester
from tests.integration.helpers import wait_until

TENANT = "kaltara"


async def approved_request(system, as_user, days_ahead: int | None = None) -> tuple[str, str, dict]:
    body = a_request(days_ahead, letter=await letter_for(system)) | {"special_needs": ["recording"]}
    submitted = await post(f"{system.url('intake')}/api/{TENANT}/requests", body, requester())
    assert submitted.status_code == 201, submitted.text
    request_id, code = submitted.json()["request_id"], submitted.json()["tracking_code"]

    async def in_inbox():
        inbox = await get_json(
            f"{system.url('approval')}/api/{TENANT}/inbox", await as_user(f"head_of_department@{TENANT}")
        )
        return any(item["request_id"] == request_id for item in inbox or [])

    await wait_until(in_inbox, timeout=30)
    approval = f"{system.url('approval')}/api/{TENANT}/requests/{request_id}"
    kadis = {"role": "head_of_department", "note": "Teruskan ke Kabid"}
    assert (await post(f"{approval}/pass", kadis, await as_user(f"head_of_department@{TENANT}"))).status_code == 200
    assert (
        await post(f"{approval}/approve", {"role": "head_of_division"}, await as_user(f"head_of_division@{TENANT}"))
    ).status_code == 200
    return request_id, code, body


async def test_approval_to_ready_to_held_with_the_link_on_the_requesters_status(system, as_user):
    request_id, code, body = await approved_request(system, as_user, days_ahead=12)
    provisioning = system.url("provisioning")
    meeting_url = f"{provisioning}/api/{TENANT}/meetings/{request_id}"
    team, operator = await as_user(f"technical_team@{TENANT}"), await as_user(f"operator@{TENANT}")

    async def scheduled():
        status = await get_json(f"{system.url('intake')}/api/{TENANT}/tracking/{code}", requester())
        return status if status and status.get("join_url") else None

    status = await wait_until(scheduled, timeout=30)
    meeting = await get_json(meeting_url, team)
    assert status["join_url"] == meeting["join_url"] and status["passcode"]
    assert meeting["account_id"].startswith("zoom-") and meeting["checks"]["trial_run"] is False

    crew = await _put(f"{meeting_url}/crew", {"operators": ["operator1@kaltara"], "kit_id": "kit-1"}, team)
    assert crew.status_code == 200, crew.text
    day = body["starts_at"][:10]
    schedule = await get_json(f"{provisioning}/api/{TENANT}/schedule", team, day=day)
    assert any(b["request_id"] == request_id for b in schedule["operators"]["operator1@kaltara"])

    assert (await post(f"{meeting_url}/checks/network", {}, operator)).status_code == 200
    after_trial = await post(f"{meeting_url}/checks/trial_run", {"note": "Audio jernih"}, operator)
    assert after_trial.status_code == 200 and after_trial.json()["ready"] is True

    meeting_id = int(meeting["meeting_id"])
    hook = f"{provisioning}/webhooks/zoom"
    sent = await post(f"{system.zoom_api_url}/_fake/meetings/{meeting_id}/webhook?event=meeting.started&url={hook}")
    assert sent.json() == {"status": 200}
    assert (await get_json(meeting_url, operator))["started_at"] is not None
    await post(f"{system.zoom_api_url}/_fake/meetings/{meeting_id}/webhook?event=recording.completed&url={hook}")
    ended = await post(
        f"{meeting_url}/ended", {"at": (datetime.now(timezone.utc) + timedelta(minutes=90)).isoformat()}, operator
    )
    assert ended.status_code == 200, ended.text

    held = await post(
        f"{meeting_url}/held",
        {
            "attendance": 41,
            "leading_official": "Sekretaris Daerah",
            "venue": "Ruang Rapat Dinas",
            "recording_kept": True,
            "problems": "Suara narasumber sempat putus",
        },
        operator,
    )
    assert held.status_code == 200, held.text

    async def held_on_status():
        status = await get_json(f"{system.url('intake')}/api/{TENANT}/tracking/{code}", requester())
        return status["status"] == "held" and status

    status = await wait_until(held_on_status, timeout=30)
    assert status["join_url"] == meeting["join_url"]
    assert [step["status"] for step in status["timeline"]][-2:] == ["ready", "held"]
    report = await get_json(meeting_url, team)
    assert report["held"] and report["recording_url"].startswith("https://zoom.example.test/rec/")


async def test_a_forged_zoom_webhook_is_refused_and_the_url_validation_answered(system):
    hook = f"{system.url('provisioning')}/webhooks/zoom"
    body, headers = signed("not-the-secret", {"event": "meeting.started", "payload": {"object": {"id": 1}}})
    async with httpx.AsyncClient() as http:
        forged = await http.post(hook, content=body, headers=headers)
    assert forged.status_code == 401

    validated = await post(f"{system.zoom_api_url}/_fake/webhooks/validate?url={hook}")
    assert validated.json() == {"valid": True}


async def test_the_resources_api_lists_accounts_and_refuses_a_bad_working_day(system, as_user):
    base = f"{system.url('provisioning')}/api/{TENANT}/resources"
    operator = await as_user(f"operator@{TENANT}")
    accounts = await get_json(f"{base}/accounts", operator)
    assert {a["account_id"] for a in accounts} >= {"zoom-pro-1", "zoom-pro-2", "zoom-business-1"}
    assert next(a for a in accounts if a["account_id"] == "zoom-business-1")["concurrent_meetings"] == 2
    not_a_manager = await _put(f"{base}/operators/operator9@kaltara", {"working_days": [0, 4]}, operator)
    assert not_a_manager.status_code == 403
    refused = await _put(
        f"{base}/operators/operator9@kaltara", {"working_days": [0, 8]}, await as_user(f"tenant_admin@{TENANT}")
    )
    assert refused.status_code == 422 and "hari kerja" in refused.json()["message"]


async def _put(url: str, body: dict, headers: dict) -> httpx.Response:
    async with httpx.AsyncClient() as http:
        return await http.put(url, json=body, headers=headers)
