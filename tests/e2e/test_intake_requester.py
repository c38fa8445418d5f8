"""The requester's side through the running system: upload, submit, follow live, hear by mail and WhatsApp."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from datetime import datetime, timedelta

import asyncpg
import httpx

from fakes.smtp import read_mail_dir
from tests.e2e.test_walking_skeleton import TENANT, a_request, letter_for, post
from tests.e2e.identity import requester
from tests.integration.helpers import wait_until
from tests.integration.intake_support import a_pdf

COUNTED = ("events", "contacts", "request_status", "documents", "notifications", "idempotency_keys")


async def intake_rows(database_url: str) -> dict[str, int]:
    conn = await asyncpg.connect(database_url)
    try:
        return {table: await conn.fetchval(f"select count(*) from intake.{table}") for table in COUNTED}
    finally:
        await conn.close()


async def live_steps(url: str, seen: list[dict], until: str, headers: dict | None = None) -> None:
    """Read the status page's server-sent events until a step with status `until` arrives."""
    async with httpx.AsyncClient(timeout=None, headers=headers) as http, http.stream("GET", url) as stream:
        async for line in stream.aiter_lines():
            if line.startswith("data: "):
                seen.append(json.loads(line.removeprefix("data: ")))
                if seen[-1]["status"] == until:
                    return


async def test_submit_with_a_letter_follow_live_and_receive_the_meeting_link(system, as_user):
    intake = system.url("intake")
    submitted = await post(f"{intake}/api/{TENANT}/requests", a_request(letter=await letter_for(system)), requester())
    assert submitted.status_code == 201, submitted.text
    request_id, code = submitted.json()["request_id"], submitted.json()["tracking_code"]
    page = httpx.get(f"{intake}/t/{TENANT}/lacak/{code}")
    assert page.status_code == 200 and "EventSource" in page.text and "/peristiwa" in page.text

    seen: list[dict] = []
    anonymous: list[dict] = []
    events_url = f"{intake}/t/{TENANT}/lacak/{code}/peristiwa"
    watching = asyncio.create_task(live_steps(events_url, seen, "scheduled", requester()))
    watching_anonymously = asyncio.create_task(live_steps(events_url, anonymous, "scheduled"))
    approval = f"{system.url('approval')}/api/{TENANT}/requests/{request_id}"

    async def passed():
        kadis = {"role": "head_of_department", "note": "Teruskan ke Kabid"}
        return (await post(f"{approval}/pass", kadis, await as_user(f"head_of_department@{TENANT}"))).status_code == 200

    await wait_until(passed, timeout=20)
    assert (
        await post(f"{approval}/approve", {"role": "head_of_division"}, await as_user(f"head_of_division@{TENANT}"))
    ).status_code == 200
    await asyncio.wait_for(watching, timeout=30)
    await asyncio.wait_for(watching_anonymously, timeout=10)

    assert [s["status"] for s in seen][0] == "submitted" and "approved" in [s["status"] for s in seen]
    assert anonymous[-1]["status"] == "scheduled" and anonymous[-1]["join_url"] is None
    assert anonymous[-1]["passcode"] is None
    scheduled = seen[-1]
    assert scheduled["label"] == "Rapat dijadwalkan" and scheduled["join_url"].startswith(
        "https://zoom.example.test/j/"
    )

    async def link_sent():
        mails = [m for m in read_mail_dir(system.extra_env["MAIL_DIR"]) if scheduled["join_url"] in m.get_content()]
        sent = httpx.get(f"{system.extra_env['WHATSAPP_GATEWAY_URL']}/sent").json()["sent"]
        chats = [s for s in sent if scheduled["join_url"] in s["message"]]
        return mails and chats and (mails, chats)

    mails, chats = await wait_until(link_sent, timeout=30)
    assert mails[0]["To"] == "siti@example.go.id" and f"Kode sandi: {scheduled['passcode']}" in mails[0].get_content()
    assert chats[0]["target"] == "081234567890" and code in chats[0]["message"]


async def test_bad_input_gets_a_clear_4xx_and_stores_nothing(system, database_url):
    intake = system.url("intake")
    before = await intake_rows(database_url)
    good = a_request(letter=await letter_for(system))
    before["documents"] += 1
    yesterday = a_request() | {"starts_at": "2025-01-06T09:00:00+08:00", "ends_at": "2025-01-06T10:00:00+08:00"}
    async with httpx.AsyncClient(headers=requester()) as http:
        not_pdf = await http.post(
            f"{intake}/api/{TENANT}/documents",
            data={"kind": "request_letter"},
            files={"file": ("surat.pdf", b"GIF89a bukan surat", "application/pdf")},
        )
        oversize = await http.post(
            f"{intake}/api/{TENANT}/documents",
            data={"kind": "request_letter"},
            files={"file": ("surat.pdf", a_pdf() + b" " * (6 * 1024 * 1024), "application/pdf")},
        )
        answers = {
            "malformed date": await http.post(
                f"{intake}/api/{TENANT}/requests", json=good | {"starts_at": "31-12-2026"}
            ),
            "start after end": await http.post(
                f"{intake}/api/{TENANT}/requests",
                json=good | {"ends_at": good["starts_at"], "starts_at": good["ends_at"]},
            ),
            "yesterday": await http.post(
                f"{intake}/api/{TENANT}/requests", json=yesterday | {"documents": good["documents"]}
            ),
        }
    assert (not_pdf.status_code, not_pdf.json()["message"]) == (
        415,
        "Kolom 'file': berkas surat permohonan harus berupa PDF yang dapat dibuka",
    )
    assert (oversize.status_code, oversize.json()["message"]) == (
        413,
        "Kolom 'file': berkas surat permohonan melebihi batas 5 MB",
    )
    messages = {case: (r.status_code, r.json()["message"]) for case, r in answers.items()}
    assert messages == {
        "malformed date": (
            422,
            "Kolom 'starts_at': bukan tanggal dan waktu yang sah (contoh: 2026-12-01T09:00:00+07:00)",
        ),
        "start after end": (422, "Kolom 'ends_at': waktu selesai harus setelah waktu mulai (starts_at)"),
        "yesterday": (422, "Kolom 'starts_at': waktu mulai harus di masa depan"),
    }
    assert await intake_rows(database_url) == before


async def test_one_idempotency_key_makes_one_request_even_when_sent_twice_at_once(system, database_url):
    body = a_request(letter=await letter_for(system))
    url, key = f"{system.url('intake')}/api/{TENANT}/requests", {"Idempotency-Key": "srikandi-2026-000123"}
    before = await intake_rows(database_url)

    async with httpx.AsyncClient(headers=requester()) as http:
        first, second = await asyncio.gather(
            http.post(url, json=body, headers=key), http.post(url, json=body, headers=key)
        )
        third = await http.post(url, json=body, headers=key)
        other = await http.post(url, json=body | {"agenda": "lain"}, headers=key)

    assert first.status_code == second.status_code == third.status_code == 201
    assert first.json() == second.json() == third.json()
    assert other.status_code == 422 and "kunci ini sudah dipakai" in other.json()["message"]
    after = await intake_rows(database_url)
    assert (after["events"], after["request_status"]) == (before["events"] + 1, before["request_status"] + 1)


async def test_amend_reschedule_and_withdraw_over_the_api(system):
    intake = system.url("intake")
    body = a_request(letter=await letter_for(system))
    request_id = (await post(f"{intake}/api/{TENANT}/requests", body, requester())).json()["request_id"]
    base = f"{intake}/api/{TENANT}/requests/{request_id}"

    amended = await post(f"{base}/amend", {"agenda": "Pembahasan RKPD 2027", "expected_participants": 60}, requester())
    assert amended.status_code == 200 and amended.json()["changed"] == ["agenda", "expected_participants"]
    unchanged = await post(f"{base}/amend", {"agenda": "Pembahasan RKPD 2027"}, requester())
    assert (unchanged.status_code, unchanged.json()["message"]) == (
        422,
        "Kolom 'request': tidak ada perubahan pada permohonan",
    )
    later = (datetime.fromisoformat(body["starts_at"]) + timedelta(hours=1)).isoformat()
    moved = await post(
        f"{base}/reschedule", {"starts_at": later, "ends_at": body["ends_at"], "reason": "Bupati rapat"}, requester()
    )
    assert moved.status_code == 200, moved.text
    assert (await post(f"{base}/withdraw", {"reason": "Acara dibatalkan"}, requester())).status_code == 200
    again = await post(f"{base}/withdraw", {}, requester())
    assert (again.status_code, again.json()["message"]) == (409, "Kolom 'request': permohonan sudah dibatalkan")


def test_fuzzing_the_openapi_gives_no_server_error(system, tmp_path):
    """Schemathesis against the live intake process, on a real tenant, as a logged-in requester
    (so the fuzzing reaches the handlers, not only the login check), bounded so CI stays fast."""
    schema = httpx.get(f"{system.url('intake')}/openapi.json").json()
    for operation in (op for path in schema["paths"].values() for op in path.values()):
        for parameter in operation.get("parameters", []):
            if parameter["name"] == "tenant":
                parameter["schema"] = {"type": "string", "enum": [TENANT]}
    (tmp_path / "intake.json").write_text(json.dumps(schema))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "schemathesis.cli",
            "run",
            str(tmp_path / "intake.json"),
            "--url",
            system.url("intake"),
            "--checks",
            "not_a_server_error",
            "--max-examples",
            "50",
            "--phases",
            "examples,fuzzing",
            "--seed",
            "20261124",
            "--request-timeout",
            "20",
            "--header",
            f"Authorization: {requester()['Authorization']}",
        ],
        capture_output=True,
        text=True,
        timeout=500,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " generated, " in done.stdout and "Tested: 9" in done.stdout


async def test_the_live_timeline_resumes_after_the_last_event_id(system):
    intake = system.url("intake")
    answer = (
        await post(f"{intake}/api/{TENANT}/requests", a_request(letter=await letter_for(system)), requester())
    ).json()
    stream_url = f"{intake}/t/{TENANT}/lacak/{answer['tracking_code']}/peristiwa"
    async with httpx.AsyncClient(timeout=None) as http, http.stream("GET", stream_url) as stream:
        ids = [line async for line in _first_lines(stream, "id: ", 1)]

    async with httpx.AsyncClient(timeout=None) as http:
        async with http.stream("GET", stream_url, headers={"Last-Event-ID": ids[0].removeprefix("id: ")}) as stream:
            await post(
                f"{intake}/api/{TENANT}/requests/{answer['request_id']}/withdraw", {"reason": "batal"}, requester()
            )
            [data] = [line async for line in _first_lines(stream, "data: ", 1)]
    assert json.loads(data.removeprefix("data: "))["label"] == "Dibatalkan pemohon"


async def _first_lines(stream, prefix: str, count: int):
    async for line in stream.aiter_lines():
        if line.startswith(prefix):
            yield line
            count -= 1
            if count == 0:
                return
