"""UU 27/2022: personal data is read on the record, and an erased person is nowhere, even after replay."""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import sys

from datetime import datetime
from zoneinfo import ZoneInfo

import asyncpg
import httpx
import nats
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.e2e.identity import requester
from tests.e2e.test_complaints_browser import a_photo
from tests.e2e.test_walking_skeleton import TENANT, a_request, get_json, letter_for, post
from tests.integration.helpers import wait_until

NAME, PHONE, EMAIL = "Sri Wulandari Hapusdata", "081299990001", "sri.hapusdata@example.go.id"
TRACES = ("Hapusdata", PHONE, "hapusdata@")


async def everything_in_postgres(database_url: str) -> str:
    conn = await asyncpg.connect(database_url)
    try:
        tables = await conn.fetch(
            "select table_schema, table_name from information_schema.tables"
            " where table_type = 'BASE TABLE' and table_schema not in"
            " ('pg_catalog', 'information_schema')"
        )
        rows = [await conn.fetch(f'select row_to_json(t)::text as r from "{s}"."{n}" t') for s, n in tables]
        return "\n".join(r["r"] for found in rows for r in found)
    finally:
        await conn.close()


async def everything_in_jetstream(servers) -> str:
    server = servers[0]
    found = []
    for user, stream in (("admin", "VIDCON"), ("admin", "VIDCON_DLQ"), ("external-admin", "VIDCON_PUBLIC")):
        nc = await nats.connect(server.url, user=user, password=server.passwords[user])
        js = nc.jetstream()
        last = (await js.stream_info(stream)).state.last_seq
        for sequence in range(1, last + 1):
            try:
                found.append((await js.get_msg(stream, sequence)).data.decode(errors="replace"))
            except Exception:  # noqa: BLE001  a sequence may be absent
                pass
        await nc.close()
    return "\n".join(found)


async def every_view(system, month: str, headers: dict) -> str:
    """The month's evaluation page, its requests and its PDF, XLSX and CSV, as text."""
    base = f"{system.url('reporting')}/t/{TENANT}/evaluasi/bulan/{month}"
    async with httpx.AsyncClient(headers=headers, timeout=60) as http:
        page, listed = (await http.get(base)).text, (await http.get(f"{base}/permohonan")).text
        pdf, xlsx, sheet = [(await http.get(f"{base}/unduh.{fmt}")).content for fmt in ("pdf", "xlsx", "csv")]
    cells = [str(c) for ws in load_workbook(io.BytesIO(xlsx)) for row in ws.iter_rows(values_only=True) for c in row]
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    return "\n".join([page, listed, text, " ".join(cells), sheet.decode("utf-8-sig")])


async def a_complaint_answered_to_the_person(system, as_user) -> str:
    """Filed on the public page with the person's name, WhatsApp, email and a photo; answered by name."""
    base = system.url("complaints")
    fields = {"name": NAME, "whatsapp": PHONE, "email": EMAIL, "summary": "Hapusdata: tautan rapat belum diterima"}
    async with httpx.AsyncClient() as http:
        filed = await http.post(
            f"{base}/t/{TENANT}/pengaduan",
            data=fields,
            files={"attachment": ("Hapusdata-bukti.png", a_photo(), "image/png")},
        )
    assert filed.status_code == 303, filed.text
    code = filed.headers["location"].split("/lacak/")[1].split("?")[0]
    complaint_id = (await get_json(f"{base}/api/{TENANT}/complaint-tracking/{code}"))["complaint_id"]
    complaints, officer = f"{base}/api/{TENANT}/complaints", await as_user(f"complaints_officer@{TENANT}")
    assert (await post(f"{complaints}/{complaint_id}/classify", {"kind": "light"}, officer)).status_code == 200
    answer = {"answer": f"Ibu {NAME}, tautan rapat sudah kami kirim ulang ke {EMAIL}."}
    assert (await post(f"{complaints}/{complaint_id}/answer", answer, officer)).status_code == 200
    return complaint_id


async def test_an_erased_person_is_nowhere_after_replaying_every_projection(
    system, servers, database_url, nats_url, as_user
):
    body = a_request(days_ahead=16, letter=await letter_for(system))
    body["contact"] = {"name": NAME, "whatsapp": PHONE, "email": EMAIL}
    submitted = await post(f"{system.url('intake')}/api/{TENANT}/requests", body, requester())
    assert submitted.status_code == 201, submitted.text
    request_id = submitted.json()["request_id"]
    complaint_id = await a_complaint_answered_to_the_person(system, as_user)

    official = await as_user(f"head_of_department@{TENANT}")
    contact_url = f"{system.url('intake')}/api/{TENANT}/requests/{request_id}/contact"
    read = await get_json(contact_url, official, purpose="konfirmasi jadwal")
    assert read["contact"]["name"] == NAME
    assert [(a["actor"], a["action"], a["purpose"]) for a in read["audit"]][-1] == (
        f"head_of_department@{TENANT}",
        "read",
        "konfirmasi jadwal",
    )
    assert await get_json(contact_url, await as_user(f"leader@{TENANT}"), purpose="x") is None
    corrected = {"contact": {"name": NAME + " S.E.", "whatsapp": PHONE, "email": EMAIL}}
    amended = await post(f"{system.url('intake')}/api/{TENANT}/requests/{request_id}/amend", corrected, requester())
    assert amended.status_code == 200, amended.text

    async def notified():
        """The notification sender has read the contact's address (and said so in the audit)."""
        conn = await asyncpg.connect(database_url)
        try:
            return await conn.fetchval(
                "select count(*) from intake.personal_data_audit a join intake.events e"
                " on e.envelope->'data'->>'contact_ref' = a.subject_ref"
                " where a.actor = 'system:notifications' and e.stream_id = $1",
                f"request-{request_id}",
            )
        finally:
            await conn.close()

    await wait_until(notified, timeout=30)

    month = datetime.fromisoformat(body["starts_at"]).astimezone(ZoneInfo("Asia/Makassar")).strftime("%Y-%m")
    leader = await as_user(f"leader@{TENANT}")

    async def named_in_every_view():
        return NAME in await every_view(system, month, leader)

    await wait_until(named_in_every_view, timeout=30)  # read from intake when the page is made

    admin = await as_user(f"tenant_admin@{TENANT}")
    erased = await post(
        f"{system.url('intake')}/api/{TENANT}/personal-data/erasures",
        {"whatsapp": PHONE, "email": EMAIL, "reason": "permintaan penghapusan oleh pemilik data"},
        admin,
    )
    assert erased.status_code == 201 and erased.json()["erased"] == 1
    erased = await post(
        f"{system.url('complaints')}/api/{TENANT}/complainants/erasures",
        {"contact": PHONE, "reason": "permintaan penghapusan oleh pemilik data"},
        admin,
    )
    assert erased.status_code == 201 and erased.json()["erased"] == 1
    seen_by_officer = await get_json(
        f"{system.url('complaints')}/api/{TENANT}/complaints/{complaint_id}",
        await as_user(f"complaints_officer@{TENANT}"),
    )
    assert (seen_by_officer["name"], seen_by_officer["email"], seen_by_officer["whatsapp"]) == ("[dihapus]",) * 3
    assert [text["body"] for text in seen_by_officer["texts"]] == ["[dihapus]"]
    assert not seen_by_officer["attachment"]

    replay = subprocess.run(
        [sys.executable, "-m", "reporting", "replay", "--all"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NATS_URL": nats_url, "DATABASE_URL": database_url},
    )
    assert replay.returncode == 0, replay.stderr
    await asyncio.sleep(1)

    stored, logged = await everything_in_postgres(database_url), await everything_in_jetstream(servers)
    logs = "\n".join(p.read_text(errors="replace") for p in system.log_dir.glob("*.log"))
    for trace in TRACES:
        assert trace not in stored, f"{trace!r} still in PostgreSQL"
        assert trace not in logged, f"{trace!r} in JetStream"
        assert trace not in logs, f"{trace!r} in the services' logs"
    views = await every_view(system, month, leader)
    assert submitted.json()["tracking_code"] in views and "[dihapus]" in views
    for trace in TRACES:
        assert trace not in views, f"{trace!r} in an evaluation page or export"
    after = await get_json(contact_url, official, purpose="periksa penghapusan")
    assert after["contact"]["name"] == "[dihapus]" and after["contact"]["whatsapp"] == ""
    recap_reads = {(a["actor"], a["action"], a["purpose"]) for a in after["audit"] if a["actor"] == f"leader@{TENANT}"}
    assert recap_reads == {(f"leader@{TENANT}", "read", "rekap dan evaluasi layanan")}  # the recap's names, audited
    people = [
        (a["actor"], a["action"])
        for a in after["audit"]
        if not a["actor"].startswith("system:") and a["actor"] != f"leader@{TENANT}"
    ]
    assert people == [
        (f"head_of_department@{TENANT}", "read"),
        (f"requester@{TENANT}", "change"),
        (f"tenant_admin@{TENANT}", "erase"),
        (f"head_of_department@{TENANT}", "read"),
    ]
    assert any(a["actor"] == "system:notifications" for a in after["audit"])  # sending read the address
