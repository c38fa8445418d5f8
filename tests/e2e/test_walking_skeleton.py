"""One request through all five service processes, over real NATS and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import httpx

from shared.events import split_type
from tests.e2e.identity import requester
from tests.integration.helpers import stream_contents, wait_until
from tests.integration.intake_support import a_pdf, fresh_working_slot, next_working_morning

TENANT = "kaltara"


def a_request(days_ahead: int | None = None, letter: str | None = None) -> dict:
    """A request Kaltara accepts: a working day's slot of its own (or the morning `days_ahead` days
    on), a venue, and its signed letter (uploaded first)."""
    starts = (
        fresh_working_slot("Asia/Makassar") if days_ahead is None else next_working_morning("Asia/Makassar", days_ahead)
    )
    return {
        "agency": "Badan Perencanaan Pembangunan Daerah",
        "event_name": "Rapat Koordinasi RKPD",
        "contact": {"name": "Siti Rahma", "whatsapp": "081234567890", "email": "siti@example.go.id"},
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=2)).isoformat(),
        "online_only": True,
        "venue": "Ruang Rapat Bappeda",
        "expected_participants": 40,
        "channel": "web_form",
        "documents": {"request_letter": letter} if letter else {},
    }


async def letter_for(system) -> str:
    """The signed request letter as a real PDF, uploaded to intake; returns its document_ref."""
    async with httpx.AsyncClient(headers=requester()) as http:
        uploaded = await http.post(
            f"{system.url('intake')}/api/{TENANT}/documents",
            data={"kind": "request_letter"},
            files={"file": ("surat.pdf", a_pdf(), "application/pdf")},
        )
    assert uploaded.status_code == 201, uploaded.text
    return uploaded.json()["document_ref"]


async def get_json(url: str, headers: dict | None = None, **params):
    async with httpx.AsyncClient() as http:
        response = await http.get(url, params=params, headers=headers)
        return response.json() if response.status_code == 200 else None


async def post(url: str, body: dict | None = None, headers: dict | None = None) -> httpx.Response:
    async with httpx.AsyncClient() as http:
        return await http.post(url, json=body or {}, headers=headers)


async def figures(system, as_user, month: str) -> dict:
    report = await get_json(
        f"{system.url('reporting')}/api/{TENANT}/reports/monthly", await as_user(f"leader@{TENANT}"), month=month
    )
    return report["figures"]


async def test_a_request_goes_from_submission_to_held_and_counts_in_the_month(system, nc, as_user):
    body = a_request(letter=await letter_for(system))
    month = body["starts_at"][:7]
    before = await figures(system, as_user, month)

    submitted = await post(f"{system.url('intake')}/api/{TENANT}/requests", body, requester())
    assert submitted.status_code == 201, submitted.text
    request_id, code = submitted.json()["request_id"], submitted.json()["tracking_code"]

    async def in_inbox():
        inbox = await get_json(
            f"{system.url('approval')}/api/{TENANT}/inbox", await as_user(f"head_of_department@{TENANT}")
        )
        return any(item["request_id"] == request_id for item in inbox)

    await wait_until(in_inbox)
    approval = f"{system.url('approval')}/api/{TENANT}/requests/{request_id}"
    kadis = {"role": "head_of_department", "note": "Teruskan ke Kabid"}
    assert (await post(f"{approval}/pass", kadis, await as_user(f"head_of_department@{TENANT}"))).status_code == 200
    assert (
        await post(f"{approval}/approve", {"role": "head_of_division"}, await as_user(f"head_of_division@{TENANT}"))
    ).status_code == 200

    async def scheduled():
        status = await get_json(f"{system.url('intake')}/api/{TENANT}/tracking/{code}", requester())
        return status if status and status["join_url"] else None

    status = await wait_until(scheduled, timeout=30)
    assert status["join_url"].startswith("https://zoom.example.test/j/") and status["passcode"]

    meeting = f"{system.url('provisioning')}/api/{TENANT}/meetings/{request_id}"
    team = await as_user(f"technical_team@{TENANT}")
    ready = await post(f"{meeting}/ready", {"checklist": ["jaringan", "laptop", "uji coba"]}, team)
    assert ready.status_code == 200, ready.text
    held = await post(
        f"{meeting}/held", {"started_at": body["starts_at"], "ended_at": body["ends_at"], "attendance": 37}, team
    )
    assert held.status_code == 200, held.text

    async def held_on_status_page():
        status = await get_json(f"{system.url('intake')}/api/{TENANT}/tracking/{code}", requester())
        return status["status"] == "held" and status

    status = await wait_until(held_on_status_page, timeout=30)
    assert [step["status"] for step in status["timeline"]] == [
        "submitted",
        "disposed",
        "approved",
        "scheduled",
        "ready",
        "held",
    ]

    async def counted():
        now = await figures(system, as_user, month)
        return now.get("meetings_held", 0) == before.get("meetings_held", 0) + 1 and now

    after = await wait_until(counted, timeout=30)
    assert after["participants"] == before.get("participants", 0) + 37

    events = await stream_contents(nc.jetstream(), f"vidcon.{TENANT}.>", expect=1)
    mine = [
        e for e in events if e.data.get("request_id") == request_id and e.source != "/vidcon/complaints"
    ]  # the survey invitation follows in its own time (test_survey)
    assert [split_type(e.type)[0] for e in mine] == [
        "request.submitted",
        "request.disposed",
        "request.approved",
        "resources.booked",
        "meeting.scheduled",
        "equipment.ready",
        "delivery_step.completed",
        "meeting.held",
        "delivery_step.completed",
    ]
    for event in mine:
        assert event.specversion == "1.0" and event.tenant == TENANT and event.id
        assert event.source.startswith("/vidcon/") and event.streamversion >= 1
        assert event.correlationid and event.causationid
    assert mine[3].causationid == mine[4].causationid == mine[2].id  # booked and scheduled because of the approval
    assert "Siti" not in str([e.data for e in mine]) and "081234567890" not in str([e.data for e in mine])


async def test_a_complaint_is_received_and_resolved_within_its_deadline(system, as_user):
    month = datetime.now(timezone.utc).strftime("%Y-%m")
    before = await figures(system, as_user, month)
    complaints = f"{system.url('complaints')}/api/{TENANT}/complaints"
    complaint = {"name": "Budi", "contact": "081298765432", "summary": "Tautan rapat terlambat dikirim"}
    officer = await as_user(f"complaints_officer@{TENANT}")

    by_public_whatsapp = await post(complaints, complaint | {"channel": "whatsapp"})
    assert by_public_whatsapp.status_code == 403
    assert by_public_whatsapp.json()["errors"][0]["field"] == "channel"
    not_served = await post(complaints, complaint | {"channel": "whatsapp", "kind": "light"}, officer)
    assert not_served.status_code == 422
    assert not_served.json()["message"].startswith("Kolom 'channel': saluran pengaduan ini tidak dilayani")
    received = await post(complaints, complaint)
    assert received.status_code == 201, received.text
    complaint_id = received.json()["complaint_id"]
    handling = f"{complaints}/{complaint_id}"
    assert (await post(f"{handling}/classify", {"kind": "light"}, officer)).status_code == 200
    answered = await post(f"{handling}/answer", {"answer": "Tautan sudah kami kirim ulang lewat WhatsApp."}, officer)
    assert answered.status_code == 200, answered.text

    resolve = f"{handling}/resolve"
    assert (await post(resolve)).status_code == 401
    assert (await post(resolve, headers=await as_user(f"leader@{TENANT}"))).status_code == 403
    resolved = await post(resolve, headers=officer)
    assert resolved.status_code == 200, resolved.text

    async def counted():
        now = await figures(system, as_user, month)
        return now.get("complaints_resolved", 0) == before.get("complaints_resolved", 0) + 1

    await wait_until(counted, timeout=30)
    tracked = await get_json(
        f"{system.url('complaints')}/api/{TENANT}/complaint-tracking/{received.json()['tracking_code']}"
    )
    assert tracked["status"] == "closed" and tracked["met_standard"] is True
    again = await post(resolve, headers=officer)
    assert again.status_code == 409 and "sudah diselesaikan" in again.json()["message"]
