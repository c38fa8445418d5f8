"""Complaint handling through the complaints JSON API, in-process, at a clock the test sets.

Thursday 24 December 2026 is cuti bersama Natal; 25 December, 1 January and 5 January (Isra
Mi'raj) are holidays (see tests/unit/test_complaint.py for the worked dates). The public files
on the web form, the complaints officer classifies, hands on and closes, the handling team
answers, the complainant follows and reopens on the tracking code.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import httpx
import pytest

from complaints.bootstrap import SPEC
from reporting.adapters.projections import projections
from reporting.adapters.views import rows_of
from reporting.service_layer.handlers import register_all
from shared.config import REPO_ROOT, Settings
from shared.db import create_pool, migrate
from shared.projections import apply_live
from shared.runtime import service_app
from shared.tenants import load_tenants
from tests.auth import access_token
from tests.integration.helpers import wait_until
from tests.integration.test_complaints_notifications import complaints_delivery_loop

TENANTS = load_tenants(REPO_ROOT / "tenants")
BASE = "http://complaints"
OFFICER, TEAM = "complaints_officer", "complaints_team"
NAME, EMAIL, WHATSAPP = "Budi Santoso", "budi.santoso@example.org", "081298765432"
SUMMARY = "Tautan Zoom rapat koordinasi tidak pernah dikirim ke kami"
ANSWER = "Tautan rapat sudah kami kirim ulang; mohon maaf atas keterlambatannya."
TABLES = ("events", "complainants", "complaint_inbox", "notifications")
_tokens: dict[tuple[str, str], str] = {}


@dataclass
class Clock:
    now: datetime | None = None


@dataclass
class Service:
    http: httpx.AsyncClient
    clock: Clock
    pool: object
    runtime: object
    issuer: str


@pytest.fixture
async def complaints_db(database_url, schema):
    migrate(database_url, schema, *SPEC.migration_dirs)
    pool = await create_pool(database_url, schema)
    yield pool
    await pool.close()


@pytest.fixture
async def service(complaints_db, identity_issuer):
    app = service_app(SPEC, Settings(oidc_issuer=identity_issuer, secure_cookies=False))
    app.state.runtime.pool = complaints_db
    clock = Clock()
    app.state.runtime.extras["clock"] = lambda: clock.now
    address = (f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}", 40000)
    transport = httpx.ASGITransport(app=app, client=address)  # public forms are rate-limited per address
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as http:
        yield Service(http, clock, complaints_db, app.state.runtime, identity_issuer)


class Desk:
    """One tenant's complaints API, as the public, the complaints officer and the team call it."""

    def __init__(self, service: Service, tenant: str):
        self.service, self.tenant = service, tenant
        self.zone = ZoneInfo(TENANTS[tenant].time_zone)

    def local(self, day: str, time: str) -> datetime:
        return datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=self.zone)

    def at(self, day: str, time: str = "10:00") -> None:
        self.service.clock.now = self.local(day, time)

    async def headers(self, role: str | None) -> dict[str, str]:
        if role is None:
            return {}
        key = (self.service.issuer, f"{role}@{self.tenant}")
        if key not in _tokens:
            _tokens[key] = await access_token(*key)
        return {"Authorization": f"Bearer {_tokens[key]}"}

    async def post(self, path: str, body: dict | None = None, role: str | None = OFFICER) -> httpx.Response:
        return await self.service.http.post(
            f"/api/{self.tenant}{path}", json=body or {}, headers=await self.headers(role)
        )

    async def get(self, path: str, role: str | None = OFFICER) -> httpx.Response:
        return await self.service.http.get(f"/api/{self.tenant}{path}", headers=await self.headers(role))

    async def file(self, body: dict, role: str | None = None) -> httpx.Response:
        return await self.post("/complaints", body, role)

    async def filed(self, role: str | None = None, **changes) -> dict:
        response = await self.file(a_complaint(**changes), role)
        assert response.status_code == 201, response.text
        return response.json()

    async def act(
        self, complaint_id: str, action: str, body: dict | None = None, role: str = OFFICER
    ) -> httpx.Response:
        return await self.post(f"/complaints/{complaint_id}/{action}", body, role)

    async def done(self, complaint_id: str, action: str, body: dict | None = None, role: str = OFFICER) -> None:
        response = await self.act(complaint_id, action, body, role)
        assert response.status_code == 200, response.text

    async def classified(self, kind: str = "light") -> str:
        complaint_id = (await self.filed())["complaint_id"]
        await self.done(complaint_id, "classify", {"kind": kind})
        return complaint_id

    async def inbox(self, role: str = OFFICER) -> dict:
        response = await self.get("/complaints", role)
        assert response.status_code == 200, response.text
        return response.json()

    async def one(self, complaint_id: str, role: str = OFFICER) -> dict:
        response = await self.get(f"/complaints/{complaint_id}", role)
        assert response.status_code == 200, response.text
        return response.json()

    async def track(self, code: str) -> dict:
        response = await self.get(f"/complaint-tracking/{code}", role=None)
        assert response.status_code == 200, response.text
        return response.json()

    async def reopen_by_complainant(self, code: str, reason: str) -> httpx.Response:
        return await self.post(f"/complaint-tracking/{code}/reopen", {"reason": reason}, role=None)


def a_complaint(**changes) -> dict:
    """What the public form sends; a change to None leaves that field out."""
    body = {"name": NAME, "email": EMAIL, "whatsapp": WHATSAPP, "summary": SUMMARY} | changes
    return {field: value for field, value in body.items() if value is not None}


def instant(iso: str | None) -> datetime | None:
    return iso and datetime.fromisoformat(iso)


async def row_counts(pool) -> dict[str, int]:
    return {table: await pool.fetchval(f"select count(*) from {table}") for table in TABLES}


@pytest.mark.parametrize("tenant", ["purbalingga", "kaltara"])
async def test_filed_on_cuti_bersama_each_kind_is_due_in_working_days_and_the_inbox_runs_by_due_time(service, tenant):
    desk = Desk(service, tenant)
    ids = {}
    for minute, kind in enumerate(["supervisory", "light", "not_supervisory", "normative", None]):
        desk.at("2026-12-24", f"10:0{minute}")
        ids[kind] = (await desk.filed())["complaint_id"]
        if kind:
            await desk.done(ids[kind], "classify", {"kind": kind})

    due = {kind: instant((await desk.one(complaint_id))["due_at"]) for kind, complaint_id in ids.items()}
    assert due == {
        "light": desk.local("2027-01-06", "08:00"),
        "normative": desk.local("2027-01-06", "08:00"),
        "not_supervisory": desk.local("2027-01-19", "08:00"),
        "supervisory": desk.local("2027-04-06", "08:00"),
        None: None,
    }

    listed = (await desk.inbox())["complaints"]
    assert [row["complaint_id"] for row in listed] == [
        ids[k] for k in (None, "light", "normative", "not_supervisory", "supervisory")
    ]
    assert [(row["days_left"], row["late"]) for row in listed] == [
        (None, False),
        (6, False),
        (6, False),
        (15, False),
        (61, False),
    ]

    desk.at("2027-01-11", "09:00")
    later = (await desk.inbox())["complaints"]
    assert [(row["kind"], row["days_left"], row["late"]) for row in later] == [
        (None, None, False),
        ("light", -3, True),
        ("normative", -3, True),
        ("not_supervisory", 6, False),
        ("supervisory", 52, False),
    ]


async def test_the_team_member_sees_and_answers_only_what_was_handed_to_the_team_or_to_them(service):
    desk = Desk(service, "purbalingga")
    desk.at("2027-01-04", "09:00")
    to_team, to_me, to_a_colleague, not_handed_on = [await desk.classified() for _ in range(4)]
    await desk.done(to_team, "assign", {"assignee": None})
    await desk.done(to_me, "assign", {"assignee": f"{TEAM}@purbalingga"})
    await desk.done(to_a_colleague, "assign", {"assignee": "anggota.lain@purbalingga"})

    assert {row["complaint_id"] for row in (await desk.inbox(TEAM))["complaints"]} == {to_team, to_me}
    assert len((await desk.inbox(OFFICER))["complaints"]) == 4
    for others in (to_a_colleague, not_handed_on):
        refused = await desk.act(others, "answer", {"answer": ANSWER}, TEAM)
        assert refused.status_code == 403
        assert refused.json()["message"] == "Kolom 'complaint_id': pengaduan ini tidak diserahkan kepada Anda"
        assert (await desk.get(f"/complaints/{others}", TEAM)).status_code == 403
        assert (await desk.one(others))["status"] != "answered"
    desk.at("2027-01-05", "10:00")
    for handed in (to_team, to_me):
        await desk.done(handed, "answer", {"answer": ANSWER}, TEAM)
        shown = await desk.one(handed, TEAM)
        assert shown["status"] == "answered" and [t["body"] for t in shown["texts"]] == [ANSWER]
    assert (await desk.act(to_me, "resolve", role=TEAM)).status_code == 403  # closing is the officer's
    assert (await desk.act(not_handed_on, "assign", {"assignee": None}, TEAM)).status_code == 403


async def test_the_answer_reaches_the_complainant_by_email_and_whatsapp_and_on_the_tracking_page(
    service, smtp, gateway, monkeypatch
):
    sent_whatsapp, gateway_url = gateway
    for name, value in (
        ("SMTP_PORT", str(smtp.port)),
        ("WHATSAPP_GATEWAY_URL", gateway_url),
        ("NOTIFY_POLL_SECONDS", "0.05"),
        ("WHATSAPP_TOKEN_PURBALINGGA", "token-purbalingga"),
    ):
        monkeypatch.setenv(name, value)
    desk = Desk(service, "purbalingga")
    desk.at("2026-12-28", "09:00")
    filed = await desk.filed()
    complaint_id, code = filed["complaint_id"], filed["tracking_code"]
    await desk.done(complaint_id, "classify", {"kind": "light"})
    await desk.done(complaint_id, "assign", {"assignee": None})
    desk.at("2026-12-30", "11:00")
    await desk.done(complaint_id, "answer", {"answer": ANSWER}, TEAM)

    queued = await service.pool.fetch(
        "select channel, subject, body from notifications where about_id = $1 and subject like '%Jawaban%'",
        complaint_id,
    )
    assert sorted(row["channel"] for row in queued) == ["email", "whatsapp"]
    for row in queued:
        assert row["subject"] == f"[{code}] Jawaban atas pengaduan Anda"
        assert ANSWER in row["body"] and f"{BASE}/t/purbalingga/pengaduan/lacak/{code}" in row["body"]

    async with complaints_delivery_loop(service.runtime):
        await wait_until(
            lambda: service.pool.fetchval(
                "select count(*) = 0 from notifications where state in ('pending', 'sending')"
            )
        )
    [mail] = [mail for mail in smtp.messages if "Jawaban" in mail["Subject"]]
    assert mail["To"] == EMAIL and ANSWER in mail.get_content()
    [message] = [sent for sent in sent_whatsapp.state.sent if ANSWER in sent["message"]]
    assert (message["target"], message["authorization"]) == (WHATSAPP, "token-purbalingga")

    tracked = await desk.track(code)
    assert tracked["status"] == "answered" and tracked["may_reopen"] is True
    assert [answer["body"] for answer in tracked["answers"]] == [ANSWER]
    assert [step["what"] for step in tracked["history"]] == [
        "Diterima lewat Formulir daring",
        "Diklasifikasi: pengaduan ringan",
        "Diserahkan ke tim penanganan",
        "Dijawab kepada pengadu",
    ]
    assert NAME not in str(tracked) and EMAIL not in str(tracked) and f"{OFFICER}@" not in str(tracked)


async def test_the_complainant_reopens_and_gets_a_new_deadline_and_each_closing_counts_met_or_late(service):
    desk = Desk(service, "purbalingga")
    desk.at("2026-12-24", "10:00")
    filed = await desk.filed()
    complaint_id, code = filed["complaint_id"], filed["tracking_code"]
    await desk.done(complaint_id, "classify", {"kind": "light"})
    too_soon = await desk.reopen_by_complainant(code, "Belum ada jawaban sama sekali")
    assert too_soon.status_code == 409

    desk.at("2027-01-04", "10:00")
    await desk.done(complaint_id, "answer", {"answer": ANSWER})
    desk.at("2027-01-04", "15:00")
    await desk.done(complaint_id, "resolve")
    closed = await desk.track(code)
    assert (closed["status"], closed["met_standard"], closed["history"][-1]["what"]) == (
        "closed",
        True,
        "Selesai (tepat waktu)",
    )

    desk.at("2027-01-07", "09:00")
    reopened = await desk.reopen_by_complainant(code, "Tautan yang dikirim ulang juga tidak bisa dibuka")
    assert reopened.status_code == 200 and reopened.json()["status"] == "reopened"
    tracked = await desk.track(code)
    assert instant(tracked["due_at"]) == desk.local("2027-01-14", "09:00")  # 8, 11, 12, 13, 14 January
    assert (tracked["status"], tracked["met_standard"], tracked["may_reopen"]) == ("reopened", None, False)
    [row] = (await desk.inbox())["complaints"]
    assert (row["complaint_id"], row["days_left"], row["late"]) == (complaint_id, 5, False)
    notice = await service.pool.fetchval(
        "select body from notifications where about_id = $1 and subject like '%dibuka kembali%' and channel = 'email'",
        complaint_id,
    )
    assert "Batas waktu penyelesaian: Kamis, 14 Januari 2027 09.00 WIB" in notice

    desk.at("2027-01-15", "10:00")
    await desk.done(complaint_id, "answer", {"answer": "Tautan baru untuk rapat sudah kami kirim."})
    await desk.done(complaint_id, "resolve")
    late = await desk.track(code)
    assert (late["status"], late["met_standard"], late["history"][-1]["what"]) == (
        "closed",
        False,
        "Selesai (melewati batas waktu)",
    )
    assert [answer["body"] for answer in late["answers"]] == [ANSWER, "Tautan baru untuk rapat sudah kami kirim."]


REFUSALS = {
    "missing summary": (None, a_complaint(summary=None), 422, "Kolom 'summary': wajib diisi"),
    "unknown kind": (
        OFFICER,
        a_complaint(kind="urgent", channel="phone"),
        422,
        "Kolom 'kind': bukan pilihan yang tersedia",
    ),
    "not anonymous without name": (
        None,
        a_complaint(name=None, anonymous=False),
        422,
        "Kolom 'name': isi nama, atau pilih tanpa nama (anonim)",
    ),
    "public setting kind": (
        None,
        a_complaint(kind="light"),
        403,
        "Kolom 'kind': jenis pengaduan ditetapkan oleh petugas pengaduan; kosongkan",
    ),
    "public by another channel": (
        None,
        a_complaint(channel="whatsapp"),
        403,
        "Kolom 'channel': pengaduan lewat saluran lain dicatat oleh petugas pengaduan; di halaman ini gunakan web_form",
    ),
    "officer by a channel not served": (
        OFFICER,
        a_complaint(channel="text_message"),
        422,
        "Kolom 'channel': saluran pengaduan ini tidak dilayani; pilih: face_to_face,"
        " complaint_box, whatsapp, phone, email, social_media",
    ),
    "contact neither email nor whatsapp": (
        None,
        a_complaint(email=None, whatsapp=None, contact="di kantor desa"),
        422,
        "Kolom 'contact': isi alamat email atau nomor WhatsApp, contoh 081234567890",
    ),
    "contact a broken email": (
        None,
        a_complaint(email=None, whatsapp=None, contact="budi@"),
        422,
        "Kolom 'contact': bukan alamat email yang sah",
    ),
}


@pytest.mark.parametrize("case", REFUSALS)
async def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(service, case):
    role, body, status, message = REFUSALS[case]
    desk = Desk(service, "purbalingga")
    desk.at("2027-01-04", "09:00")
    await desk.filed()
    before = await row_counts(service.pool)

    refused = await desk.file(body, role)

    assert (refused.status_code, refused.json()["message"]) == (status, message)
    assert await row_counts(service.pool) == before


async def test_classifying_with_an_unknown_kind_is_refused_and_nothing_is_stored(service):
    desk = Desk(service, "purbalingga")
    desk.at("2027-01-04", "09:00")
    complaint_id = (await desk.filed())["complaint_id"]
    before = await row_counts(service.pool)

    refused = await desk.act(complaint_id, "classify", {"kind": "urgent"})

    assert (refused.status_code, refused.json()["message"]) == (422, "Kolom 'kind': bukan pilihan yang tersedia")
    assert await row_counts(service.pool) == before
    assert (await desk.one(complaint_id))["status"] == "received"


async def test_the_older_contact_field_gives_a_whatsapp_number_beside_an_email(service):
    desk = Desk(service, "purbalingga")
    desk.at("2027-01-04", "09:00")
    complaint_id = (await desk.filed(whatsapp=None, contact=WHATSAPP))["complaint_id"]

    shown = await desk.one(complaint_id)

    assert (shown["name"], shown["email"], shown["whatsapp"]) == (NAME, EMAIL, WHATSAPP)
    queued = await service.pool.fetch("select channel from notifications where about_id = $1", complaint_id)
    assert sorted(row["channel"] for row in queued) == ["email", "whatsapp"]


async def test_a_suggestion_is_received_without_deadline_and_listed_apart_under_feedback(service):
    desk = Desk(service, "purbalingga")
    desk.at("2026-12-28", "09:00")
    complaint_id = (await desk.filed())["complaint_id"]
    suggestion = await desk.filed(category="suggestion", summary="Mohon jadwal rapat diumumkan seminggu sebelumnya")
    desk.at("2026-12-28", "09:30")
    thanks = await desk.filed(category="appreciation", name=None, anonymous=True, summary="Operator sangat membantu")

    inbox = await desk.inbox()
    assert [row["complaint_id"] for row in inbox["complaints"]] == [complaint_id]
    assert [
        (row["complaint_id"], row["category_label"], row["due_at"], row["days_left"], row["late"])
        for row in inbox["feedback"]
    ] == [
        (thanks["complaint_id"], "apresiasi", None, None, False),
        (suggestion["complaint_id"], "saran/masukan", None, None, False),
    ]
    assert inbox["counts"] == {"suggestion": 1, "appreciation": 1}
    refused = await desk.act(suggestion["complaint_id"], "classify", {"kind": "light"})
    assert refused.status_code == 409 and "saran/masukan tidak ditangani sebagai pengaduan" in refused.json()["message"]
    tracked = await desk.track(suggestion["tracking_code"])
    assert (tracked["category"], tracked["status"], tracked["due_at"]) == ("suggestion", "received", None)


async def reporting_rows(database_url: str, complaints_pool, schema: str, tenant: str) -> list[dict]:
    """Complaints' recorded events applied to reporting's live projections, as its consumer does."""
    every = projections(TENANTS)
    migrate(database_url, schema)
    pool = await create_pool(database_url, schema)
    try:
        await register_all(pool, every)
        events = await complaints_pool.fetch("select position, envelope from events order by position")
        async with pool.acquire() as conn:
            for event in events:
                async with conn.transaction():
                    for projection in every.values():
                        await apply_live(
                            conn, projection, json.loads(event["envelope"]), ("/vidcon/complaints", event["position"])
                        )
            return await rows_of(conn, every["complaints"], tenant)
    finally:
        await pool.close()


async def test_received_classified_and_resolved_reach_the_reporting_projection(service, database_url, schema):
    desk = Desk(service, "purbalingga")
    desk.at("2026-12-24", "10:00")
    complaint_id = await desk.classified("light")
    suggestion = (await desk.filed(category="suggestion"))["complaint_id"]
    desk.at("2027-01-04", "10:00")
    await desk.done(complaint_id, "answer", {"answer": ANSWER})
    await desk.done(complaint_id, "resolve")

    rows = {
        row["complaint_id"]: row
        for row in await reporting_rows(database_url, service.pool, f"{schema}r", "purbalingga")
    }

    complaint = rows[complaint_id]
    assert (complaint["category"], complaint["kind"], complaint["channel"], complaint["met"]) == (
        "complaint",
        "light",
        "web_form",
        True,
    )
    assert instant(complaint["due_at"]) == desk.local("2027-01-06", "08:00")
    assert instant(complaint["resolved_at"]) == desk.local("2027-01-04", "10:00")
    assert (rows[suggestion]["category"], rows[suggestion]["due_at"]) == ("suggestion", None)
