"""Each tenant's approval procedure run through approval's service layer and consumer, real PostgreSQL.

The clock is controlled: every action is given its instant. Dates are real 2026 dates; the
holidays come from the `holidays` package (Christmas cuti bersama on Thu 24 Dec 2026,
Ascension cuti bersama on Fri 15 May 2026).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from approval.entrypoints.consumers import consumers
from approval.service_layer import handlers, views
from shared.config import REPO_ROOT
from shared.db import create_pool, migrate
from shared.events import envelope_for
from shared.events.contracts import RequestAmended, RequestSubmitted
from shared.eventstore.aggregate import history
from shared.messaging.consumer import apply_once
from shared.tenants import Role, load_tenants

TENANTS = load_tenants(REPO_ROOT / "tenants")
WIB, WITA = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar")
MIGRATIONS = REPO_ROOT / "services" / "approval" / "migrations"


@pytest.fixture
async def approval_pool(database_url, schema):
    migrate(database_url, schema, Path(MIGRATIONS))
    pool = await create_pool(database_url, schema)
    yield pool
    await pool.close()


class Desk:
    """One tenant's approval desk: intake's events in through the real consumer, officials' actions out."""

    def __init__(self, pool, tenant: str):
        self.pool, self.profile = pool, TENANTS[tenant]
        self.consumer = consumers(SimpleNamespace(tenant=TENANTS.__getitem__))[0]
        self.sequence = 0

    async def deliver(self, event) -> bool:
        self.sequence += 1
        envelope = envelope_for(
            event,
            tenant=self.profile.id,
            subject=f"intake-{event.request_id}",
            stream_version=self.sequence,
            correlation_id="corr",
            causation_id=None,
        )
        self.last_raw = envelope.model_dump_json().encode()
        return await apply_once(self.pool, self.consumer, self.last_raw, self.sequence)

    async def submit(self, at: datetime, **documents) -> str:
        request_id = str(uuid.uuid4())
        await self.deliver(
            RequestSubmitted(
                request_id=request_id,
                tracking_code="T" + request_id[:7].upper(),
                agency="Bappeda",
                event_name="Rapat koordinasi",
                starts_at=at + timedelta(days=14),
                ends_at=at + timedelta(days=14, hours=2),
                online_only=True,
                channel="official_letter",
                contact_ref=str(uuid.uuid4()),
                submitted_at=at,
            )
        )
        return request_id

    async def amend(self, request_id: str, at: datetime, **changes) -> bool:
        return await self.deliver(RequestAmended(request_id=request_id, changes=changes, amended_at=at))

    async def act(self, request_id: str, action: str, by: str, role: Role, at: datetime, **details):
        async with self.pool.acquire() as conn, conn.transaction():
            return await handlers.act(
                conn, self.profile, request_id, action, by=by, role=role, now=at, correlation_id="corr", **details
            )

    async def events(self, request_id: str):
        async with self.pool.acquire() as conn:
            return await history(conn, handlers.ApprovalCase, request_id, self.profile.id)

    async def inbox(self, role: Role, at: datetime, by: str | None = None) -> list[dict]:
        async with self.pool.acquire() as conn:
            return await views.inbox(conn, self.profile, at, role, by)

    async def view(self, request_id: str, role: Role, at: datetime) -> dict:
        async with self.pool.acquire() as conn:
            return await views.request_view(conn, self.profile, request_id, at, role)


def figures(event) -> tuple:
    t = event.timing
    return t.step, t.started_at, t.due_at, t.finished_at, t.met_standard, t.margin_minutes


async def test_kaltara_friday_1630_close_weekend_then_kadis_kabid_and_hand_on_to_the_technical_team(approval_pool):
    desk = Desk(approval_pool, "kaltara")
    friday_1620 = datetime(2026, 11, 27, 16, 20, tzinfo=WITA)
    request_id = await desk.submit(friday_1620)

    [waiting] = await desk.inbox(Role.HEAD_OF_DEPARTMENT, datetime(2026, 11, 27, 16, 25, tzinfo=WITA))
    assert waiting["due_at"] == datetime(2026, 11, 30, 8, 50, tzinfo=WITA)  # 10 min Fri until 16:30, 50 Mon
    assert (waiting["time_left_minutes"], waiting["late"]) == (55, False)
    monday_0840 = datetime(2026, 11, 30, 8, 40, tzinfo=WITA)
    await desk.act(
        request_id,
        "dispose",
        "kadis",
        Role.HEAD_OF_DEPARTMENT,
        monday_0840,
        note="Mohon ditindaklanjuti",
        addressee="kabid-aptika",
    )
    assert await desk.inbox(Role.HEAD_OF_DIVISION, monday_0840, by="kabid-lain") == []
    [late] = await desk.inbox(Role.HEAD_OF_DIVISION, datetime(2026, 11, 30, 9, 50, tzinfo=WITA), by="kabid-aptika")
    assert (late["due_at"], late["time_left_minutes"], late["late"]) == (
        datetime(2026, 11, 30, 9, 40, tzinfo=WITA),
        -10,
        True,
    )
    await desk.act(
        request_id,
        "approve",
        "kabid-aptika",
        Role.HEAD_OF_DIVISION,
        datetime(2026, 11, 30, 10, 0, tzinfo=WITA),
        note="Siapkan ruang rapat",
        addressee="tim-teknis-1",
    )

    disposed, approved = await desk.events(request_id)
    assert figures(disposed) == (
        "dispose_to_head_of_division",
        friday_1620,
        datetime(2026, 11, 30, 8, 50, tzinfo=WITA),
        monday_0840,
        True,
        10,
    )
    assert (disposed.by, disposed.to_role, disposed.addressee, disposed.note) == (
        "kadis",
        "head_of_division",
        "kabid-aptika",
        "Mohon ditindaklanjuti",
    )
    assert figures(approved) == (
        "dispose_to_technical_team",
        monday_0840,
        datetime(2026, 11, 30, 9, 40, tzinfo=WITA),
        datetime(2026, 11, 30, 10, 0, tzinfo=WITA),
        False,
        -20,
    )
    assert (approved.to_step, approved.to_role, approved.addressee) == (
        "coordinate_check_and_trial",
        "technical_team",
        "tim-teknis-1",
    )
    assert approved.to_step_due_at == datetime(2026, 11, 30, 12, 30, tzinfo=WITA)  # the team's 150 minutes


async def test_majalengka_return_amend_resubmit_loop_pauses_the_clock_over_cuti_bersama(approval_pool):
    desk = Desk(approval_pool, "majalengka")
    team = Role.TECHNICAL_TEAM
    request_id = await desk.submit(datetime(2026, 12, 23, 10, 0, tzinfo=WIB))
    # 1 working day from Wed 23 Dec: Thu 24 cuti bersama, Fri 25 Christmas, weekend -> Mon 28 Dec.
    [waiting] = await desk.inbox(team, datetime(2026, 12, 24, 9, 0, tzinfo=WIB))
    assert waiting["due_at"] == datetime(2026, 12, 28, 10, 0, tzinfo=WIB)
    assert waiting["time_left_minutes"] == 120  # seen on the cuti bersama day: only Mon 08:00-10:00 is left

    with pytest.raises(handlers.DomainRuleBroken, match="Surat permohonan resmi dari kepala perangkat daerah"):
        await desk.act(request_id, "approve", "verif-1", team, datetime(2026, 12, 28, 8, 30, tzinfo=WIB))
    await desk.act(
        request_id,
        "return",
        "verif-1",
        team,
        datetime(2026, 12, 28, 9, 0, tzinfo=WIB),
        missing=["request_letter"],
        note="Surat belum ditandatangani kepala OPD",
    )
    assert await desk.inbox(team, datetime(2026, 12, 29, 9, 0, tzinfo=WIB)) == []
    assert (await desk.view(request_id, team, datetime(2026, 12, 29, 9, 0, tzinfo=WIB)))["status"] == "returned"

    amended_at = datetime(2026, 12, 30, 14, 0, tzinfo=WIB)
    assert await desk.amend(request_id, amended_at, document_refs={"request_letter": "doc-2"}) is True
    assert await desk.amend(request_id, amended_at, document_refs={"request_letter": "doc-2"}) is True  # another id
    assert await apply_once(desk.pool, desk.consumer, desk.last_raw, desk.sequence) is False  # redelivered
    [back] = await desk.inbox(team, amended_at)
    assert back["due_at"] == datetime(2026, 12, 31, 14, 0, tzinfo=WIB)
    await desk.act(
        request_id, "approve", "verif-1", team, datetime(2026, 12, 31, 15, 0, tzinfo=WIB), checked=["request_letter"]
    )

    returned, resubmitted, approved = await desk.events(request_id)
    assert figures(returned) == (
        "verify_documents",
        datetime(2026, 12, 23, 10, 0, tzinfo=WIB),
        datetime(2026, 12, 28, 10, 0, tzinfo=WIB),
        datetime(2026, 12, 28, 9, 0, tzinfo=WIB),
        True,
        60,
    )
    assert returned.missing_items == ["Surat permohonan resmi dari kepala perangkat daerah"]
    assert (resubmitted.resubmitted_at, resubmitted.amended_fields) == (amended_at, ["document_refs"])
    # The requester's two days do not count: the step restarts at the amendment.
    assert figures(approved) == (
        "verify_documents",
        amended_at,
        datetime(2026, 12, 31, 14, 0, tzinfo=WIB),
        datetime(2026, 12, 31, 15, 0, tzinfo=WIB),
        False,
        -60,
    )
    assert approved.checked_items == ["request_letter"] and approved.to_step == "create_zoom_meeting"


async def test_tangerang_unsigned_approval_goes_back_to_step_one_and_comes_round_again(approval_pool):
    desk = Desk(approval_pool, "tangerang")
    submitted = datetime(2026, 12, 1, 15, 59, tzinfo=WIB)
    request_id = await desk.submit(submitted)
    wednesday = lambda h, m: datetime(2026, 12, 2, h, m, tzinfo=WIB)  # noqa: E731
    await desk.act(request_id, "verify", "staf-iidc", Role.VERIFIER, wednesday(8, 1), checked=["request_form"])
    await desk.act(request_id, "approve", "subkoor", Role.APPROVER, wednesday(8, 5), signed=False)
    with pytest.raises(handlers.DomainRuleBroken, match="dikembalikan kepada pemohon"):
        await desk.act(request_id, "verify", "staf-iidc", Role.VERIFIER, wednesday(8, 6), checked=["request_form"])

    await desk.amend(request_id, wednesday(9, 0), document_refs={"request_form": "fpvc-signed"})
    [back] = await desk.inbox(Role.VERIFIER, wednesday(9, 0))
    assert (back["step"], back["due_at"], back["time_left_minutes"]) == ("receive_and_verify", wednesday(9, 2), 2)
    await desk.act(request_id, "verify", "staf-iidc", Role.VERIFIER, wednesday(9, 1), checked=["request_form"])
    await desk.act(request_id, "approve", "subkoor", Role.APPROVER, wednesday(9, 2), signed=True)

    verified, returned, resubmitted, verified_again, approved = await desk.events(request_id)
    # 2 minutes from Tue 15:59: one before the 16:00 close, one after Wednesday's 08:00 opening.
    assert figures(verified) == ("receive_and_verify", submitted, wednesday(8, 1), wednesday(8, 1), True, 0)
    assert figures(returned) == ("approve_by_signature", wednesday(8, 1), wednesday(8, 3), wednesday(8, 5), False, -2)
    assert (returned.note, returned.resumes_at_step) == ("Persetujuan tidak ditandatangani", "receive_and_verify")
    assert figures(verified_again) == ("receive_and_verify", wednesday(9, 0), wednesday(9, 2), wednesday(9, 1), True, 1)
    assert figures(approved) == ("approve_by_signature", wednesday(9, 1), wednesday(9, 3), wednesday(9, 2), True, 1)
    assert approved.signed is True and approved.to_step == "create_meeting_link"


async def test_purbalingga_review_accepts_one_and_rejects_one_over_ascension_cuti_bersama(approval_pool):
    desk = Desk(approval_pool, "purbalingga")
    accepted_id = await desk.submit(datetime(2026, 12, 1, 9, 0, tzinfo=WIB))
    rejected_id = await desk.submit(datetime(2026, 5, 13, 15, 0, tzinfo=WIB))
    await desk.act(
        accepted_id,
        "approve",
        "staf-1",
        Role.VERIFIER,
        datetime(2026, 12, 1, 14, 0, tzinfo=WIB),
        checked=["request_letter"],
    )
    await desk.act(
        rejected_id,
        "reject",
        "staf-1",
        Role.VERIFIER,
        datetime(2026, 5, 18, 15, 30, tzinfo=WIB),
        reason="Surat tidak dibubuhi cap OPD",
    )

    [accepted] = await desk.events(accepted_id)
    assert figures(accepted)[2:] == (
        datetime(2026, 12, 2, 9, 0, tzinfo=WIB),
        datetime(2026, 12, 1, 14, 0, tzinfo=WIB),
        True,
        120 + 60,
    )
    [rejected] = await desk.events(rejected_id)
    # Thu 14 May Ascension, Fri 15 May cuti bersama, then the weekend: due Mon 18 May 15:00.
    assert figures(rejected)[2:] == (
        datetime(2026, 5, 18, 15, 0, tzinfo=WIB),
        datetime(2026, 5, 18, 15, 30, tzinfo=WIB),
        False,
        -30,
    )
    assert (rejected.by, rejected.reason) == ("staf-1", "Surat tidak dibubuhi cap OPD")
    view = await desk.view(rejected_id, Role.VERIFIER, datetime(2026, 5, 18, 16, 0, tzinfo=WIB))
    assert (view["outcome"], view["actions"]) == ("rejected", [])


async def test_gorontalo_24_clock_hours_run_through_the_weekend_then_hand_on_to_the_persandian_team(approval_pool):
    desk = Desk(approval_pool, "gorontalo")
    friday = datetime(2026, 12, 4, 15, 0, tzinfo=WITA)
    request_id = await desk.submit(friday)
    [waiting] = await desk.inbox(Role.VERIFIER, datetime(2026, 12, 5, 14, 0, tzinfo=WITA))
    assert (waiting["due_at"], waiting["time_left_minutes"], waiting["late"]) == (
        datetime(2026, 12, 5, 15, 0, tzinfo=WITA),
        60,
        False,
    )
    view = await desk.view(request_id, Role.VERIFIER, friday)
    assert [a["name"] for a in view["actions"]] == ["approve", "return", "reject", "reassign"]
    await desk.act(
        request_id,
        "approve",
        "persandian-1",
        Role.VERIFIER,
        datetime(2026, 12, 7, 8, 30, tzinfo=WITA),
        checked=["request_letter"],
        note="Koordinasikan dengan Tim Kerja Jaringan",
    )

    [approved] = await desk.events(request_id)
    assert figures(approved)[2:] == (
        datetime(2026, 12, 5, 15, 0, tzinfo=WITA),
        datetime(2026, 12, 7, 8, 30, tzinfo=WITA),
        False,
        -(41 * 60 + 30),
    )
    assert (approved.to_step, approved.to_role, approved.note) == (
        "coordinate_with_requester",
        "technical_team",
        "Koordinasikan dengan Tim Kerja Jaringan",
    )
