"""Intake against a real PostgreSQL: what a request stores, what a refusal leaves (nothing), changes."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest

from intake.adapters.status import add_to_timeline
from intake.bootstrap import SPEC
from intake.domain.commands import AmendRequest, RescheduleRequest, SubmitRequest
from intake.service_layer.amend import amend_request
from intake.service_layer.handlers import reschedule_request, submit_request, withdraw_request
from intake.service_layer.uploads import upload_document
from shared.config import Settings
from shared.domain import DomainRuleBroken
from shared.tenants import load_tenants
from tests.integration.helpers import migrated_pool
from tests.integration.intake_support import a_csv, a_pdf, a_request, a_workbook, row_counts
from tests.spreadsheets import a_workbook_bomb, a_workbook_of

KALTARA = load_tenants(Settings().vidcon_tenants_dir)["kaltara"]


@pytest.fixture
async def intake(database_url, schema):
    async with migrated_pool(database_url, schema, *SPEC.migration_dirs) as pool:
        yield pool


async def uploaded(pool, kind: str = "request_letter", content: bytes | None = None) -> str:
    async with pool.acquire() as conn, conn.transaction():
        return (await upload_document(conn, "kaltara", kind, "surat.pdf", a_pdf() if content is None else content))[
            "document_ref"
        ]


async def submitted(pool, **changes):
    if "documents" not in changes:
        changes["documents"] = {"request_letter": await uploaded(pool)}
    command = SubmitRequest.model_validate(a_request(**changes))
    async with pool.acquire() as conn, conn.transaction():
        return await submit_request(conn, KALTARA, command, "corr-1", "http://intake.test")


async def test_a_request_keeps_names_numbers_and_files_out_of_its_event(intake):
    participants = await uploaded(intake, "participant_list", a_workbook())
    event = await submitted(
        intake, documents={"request_letter": await uploaded(intake), "participant_list": participants}
    )

    async with intake.acquire() as conn:
        [stored] = await conn.fetch("select envelope from events")
        people = await conn.fetch("select role, name, detail from request_people order by role")
        documents = await conn.fetch("select kind, request_id, sha256, size_bytes from documents order by kind")
        queued = await conn.fetch("select channel, body from notifications order by channel")
    payload = json.dumps(json.loads(stored["envelope"])["data"])
    for personal in ("Siti Rahma", "081234567890", "siti@example.go.id", "Ahmad Yani", "Rina Wati", "Budi"):
        assert personal not in payload
    assert (event.speaker_count, event.leading_official_position) == (1, "Sekretaris Daerah")
    assert event.participant_list_ref == participants and event.letter_ref == event.document_refs["request_letter"]
    assert [(p["role"], p["name"]) for p in people] == [
        ("leading_official", "Drs. Ahmad Yani"),
        ("speaker", "Dr. Rina Wati"),
    ]
    assert all(str(d["request_id"]) == event.request_id and len(d["sha256"]) == 64 for d in documents)
    assert [q["channel"] for q in queued] == ["email", "whatsapp"]
    assert f"http://intake.test/t/kaltara/lacak/{event.tracking_code}" in queued[0]["body"]


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"documents": {}}, "documents.request_letter"),
        ({"venue": None, "online_only": True}, "venue"),
        ({"starts_at": "2026-01-05T09:00:00+08:00", "ends_at": "2026-01-05T10:00:00+08:00"}, "starts_at"),
    ],
)
async def test_a_refused_request_stores_nothing(intake, changes, field):
    letter = await uploaded(intake)
    async with intake.acquire() as conn:
        before = await row_counts(conn)
    command = SubmitRequest.model_validate(a_request(documents={"request_letter": letter}) | changes)

    with pytest.raises(DomainRuleBroken) as refused:
        async with intake.acquire() as conn, conn.transaction():
            await submit_request(conn, KALTARA, command, "corr-1")

    assert refused.value.field == field
    async with intake.acquire() as conn:
        assert await row_counts(conn) == before
        assert await conn.fetchval("select count(*) from documents where request_id is not null") == 0


@pytest.mark.parametrize(
    "kind, content, status, rule",
    [
        ("request_letter", b"Surat ini bukan PDF, hanya teks biasa.", 415, "harus berupa PDF yang dapat dibuka"),
        ("request_letter", b"%PDF-1.7\n rusak " + b"x" * 100, 415, "harus berupa PDF yang dapat dibuka"),
        ("request_letter", a_pdf() + b"0" * (5 * 1024 * 1024), 413, "melebihi batas 5 MB"),
        ("request_letter", b"", 422, "kosong"),
        ("participant_list", a_pdf(), 415, "lembar kerja Excel (.xlsx) atau CSV"),
        ("participant_list", b"sekadar kalimat tanpa kolom", 415, "lembar kerja Excel (.xlsx) atau CSV"),
        ("participant_list", a_workbook_bomb(unpacked_mb=100), 413, "melebihi batas 20 MB setelah dibuka"),
        ("participant_list", a_workbook_of([["Nama"]] * 5001), 422, "lebih dari 5000 baris (batas 5000 baris)"),
        ("ktp", a_pdf(), 422, "jenis berkas tidak dikenal"),
    ],
)
async def test_an_upload_that_is_not_what_it_claims_is_refused_and_not_kept(intake, kind, content, status, rule):
    with pytest.raises(DomainRuleBroken) as refused:
        await uploaded(intake, kind, content)

    assert refused.value.status == status and rule in refused.value.message
    async with intake.acquire() as conn:
        assert await conn.fetchval("select count(*) from documents") == 0


@pytest.mark.parametrize(
    "kind, content", [("request_letter", a_pdf()), ("participant_list", a_workbook()), ("participant_list", a_csv())]
)
async def test_a_real_pdf_workbook_or_csv_is_kept_with_its_checksum(intake, kind, content):
    import hashlib

    ref = await uploaded(intake, kind, content)

    async with intake.acquire() as conn:
        row = await conn.fetchrow("select sha256, content from documents where document_ref = $1", uuid.UUID(ref))
    assert row["sha256"] == hashlib.sha256(content).hexdigest() and bytes(row["content"]) == content


async def test_amend_until_verified_then_again_once_returned(intake):
    event = await submitted(intake)
    amend = AmendRequest(
        agenda="Pembahasan RKPD 2027",
        speakers=[],
        contact={"name": "Siti Rahma", "whatsapp": "081298765432", "email": "siti@example.go.id"},
    )

    async with intake.acquire() as conn, conn.transaction():
        changes = await amend_request(conn, KALTARA, event.request_id, amend, "corr-2")
    assert changes == {"agenda": "Pembahasan RKPD 2027", "contact": None, "speakers": None, "speaker_count": 0}

    async with intake.acquire() as conn, conn.transaction():
        await add_to_timeline(conn, event.request_id, str(uuid.uuid4()), status="disposed", at=event.submitted_at)
    with pytest.raises(DomainRuleBroken, match="sudah diverifikasi"):
        async with intake.acquire() as conn, conn.transaction():
            await amend_request(conn, KALTARA, event.request_id, AmendRequest(agenda="lagi"), "corr-3")

    async with intake.acquire() as conn, conn.transaction():
        await add_to_timeline(conn, event.request_id, str(uuid.uuid4()), status="returned", at=event.submitted_at)
        await amend_request(conn, KALTARA, event.request_id, AmendRequest(agenda="lengkap"), "corr-4")
        assert await conn.fetchval("select whatsapp from contacts") == "081298765432"
        types = [r["type"] for r in await conn.fetch("select type from events order by position")]
    assert types == [
        "id.go.vidcon.request.submitted.v2",
        "id.go.vidcon.request.amended.v1",
        "id.go.vidcon.request.amended.v1",
    ]


async def test_reschedule_records_the_move_and_reopens_amendment(intake):
    event = await submitted(intake)
    async with intake.acquire() as conn, conn.transaction():
        await add_to_timeline(conn, event.request_id, str(uuid.uuid4()), status="approved", at=event.submitted_at)
    later = event.starts_at + timedelta(days=1)

    async with intake.acquire() as conn, conn.transaction():
        await reschedule_request(
            conn,
            KALTARA,
            event.request_id,
            RescheduleRequest(starts_at=later, ends_at=later + timedelta(hours=1), reason="Bupati berhalangan"),
            "corr-5",
        )
        status = await conn.fetchrow("select status, starts_at, verification_started from request_status")
        [data] = [
            json.loads(r["envelope"])["data"]
            for r in await conn.fetch("select envelope from events where type like '%rescheduled%'")
        ]
    assert (status["status"], status["starts_at"], status["verification_started"]) == ("rescheduled", later, False)
    assert data["previous_starts_at"][:19] == event.starts_at.isoformat()[:19]


async def test_withdrawn_request_cannot_be_amended_or_rescheduled(intake):
    event = await submitted(intake)
    async with intake.acquire() as conn, conn.transaction():
        await withdraw_request(conn, KALTARA, event.request_id, "Acara dibatalkan", "corr-6")

    with pytest.raises(DomainRuleBroken, match="sudah dibatalkan"):
        async with intake.acquire() as conn, conn.transaction():
            await amend_request(conn, KALTARA, event.request_id, AmendRequest(agenda="lagi"), "corr-7")
    later = event.starts_at + timedelta(days=1)
    with pytest.raises(DomainRuleBroken, match="sudah dibatalkan"):
        async with intake.acquire() as conn, conn.transaction():
            await reschedule_request(
                conn,
                KALTARA,
                event.request_id,
                RescheduleRequest(starts_at=later, ends_at=later + timedelta(hours=1)),
                "c",
            )
