"""Complaints' background loop sends what it queued to complainants, and drops what it cannot send."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from types import SimpleNamespace

import pytest

from complaints.bootstrap import SPEC
from shared.config import Settings
from shared.notifications import enqueue
from shared.tenants import load_tenants
from tests.integration.helpers import migrated_pool, wait_until

KALTARA = load_tenants(Settings().vidcon_tenants_dir)["kaltara"]


@pytest.fixture
async def complaints(database_url, schema):
    async with migrated_pool(database_url, schema, *SPEC.migration_dirs) as pool:
        yield pool


async def complainant(pool, email: str | None, whatsapp: str | None, erased: bool = False) -> str:
    ref = str(uuid.uuid4())
    await pool.execute(
        "insert into complainants (complainant_ref, tenant, name, contact, summary, email,"
        " whatsapp, erased_at) values ($1, 'kaltara', 'Budi', $2, 'Mikrofon mati', $3, $4,"
        " case when $5 then now() end)",
        ref,
        email or whatsapp or "",
        email,
        whatsapp,
        erased,
    )
    return ref


async def queue_both_channels(pool, contact_ref: str) -> None:
    complaint_id, cause_id = str(uuid.uuid4()), str(uuid.uuid4())
    async with pool.acquire() as conn, conn.transaction():
        for channel in ("email", "whatsapp"):
            await enqueue(
                conn,
                tenant="kaltara",
                about_id=complaint_id,
                cause_id=cause_id,
                channel=channel,
                contact_ref=contact_ref,
                subject="Pengaduan Anda dijawab",
                body=f"Jawaban untuk {channel}",
            )


@contextlib.asynccontextmanager
async def complaints_delivery_loop(runtime):
    """Complaints' own delivery loop, as its service runs it, until the block ends."""
    [loop] = [background for background in SPEC.background if background.__name__ == "deliver_notifications"]
    task = asyncio.create_task(loop(runtime))
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def states(pool) -> dict[tuple[str, str], tuple[str, str | None]]:
    rows = await pool.fetch("select contact_ref, channel, state, last_error from notifications")
    return {(str(r["contact_ref"]), r["channel"]): (r["state"], r["last_error"]) for r in rows}


async def test_queued_messages_go_by_email_and_whatsapp_and_unreachable_ones_are_dropped(
    complaints, smtp, gateway, monkeypatch
):
    app, url = gateway
    monkeypatch.setenv("SMTP_PORT", str(smtp.port))
    monkeypatch.setenv("WHATSAPP_GATEWAY_URL", url)
    monkeypatch.setenv("NOTIFY_POLL_SECONDS", "0.05")
    monkeypatch.setenv("WHATSAPP_TOKEN_KALTARA", "token-kaltara")
    reachable = await complainant(complaints, "budi@example.org", "081298765432")
    email_only = await complainant(complaints, "ani@example.org", None)
    erased = await complainant(complaints, "[dihapus]", "[dihapus]", erased=True)
    for ref in (reachable, email_only, erased):
        await queue_both_channels(complaints, ref)

    async with complaints_delivery_loop(SimpleNamespace(pool=complaints, tenants={"kaltara": KALTARA})):
        await wait_until(
            lambda: complaints.fetchval("select count(*) = 0 from notifications where state in ('pending', 'sending')")
        )

    assert sorted(mail["To"] for mail in smtp.messages) == ["ani@example.org", "budi@example.org"]
    [sent] = app.state.sent
    assert (sent["target"], sent["authorization"], sent["message"]) == (
        "081298765432",
        "token-kaltara",
        "Jawaban untuk whatsapp",
    )
    outcome = await states(complaints)
    assert outcome[(reachable, "email")] == outcome[(reachable, "whatsapp")] == ("sent", None)
    assert outcome[(email_only, "whatsapp")] == ("dropped", "contact has no whatsapp address")
    assert (
        outcome[(erased, "email")] == outcome[(erased, "whatsapp")] == ("dropped", "tenant or contact no longer known")
    )
    audited = await complaints.fetchval(
        "select count(*) from personal_data_audit where actor = 'system:notifications' and subject_ref = $1", reachable
    )
    assert audited == 2
