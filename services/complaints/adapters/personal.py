"""The erasable store: who complained and how to reach them, their words, the answers written to
them, their attachment. Events hold only `complainant_ref`, `answer_ref` and facts."""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime

import asyncpg

from shared.notifications import drop_pending
from shared.personal_data import ERASED


async def add_complainant(
    conn: asyncpg.Connection, tenant: str, *, name: str | None, email: str | None, whatsapp: str | None, summary: str
) -> str:
    ref = str(uuid.uuid4())
    await conn.execute(
        "insert into complainants (complainant_ref, tenant, name, email, whatsapp, contact, summary)"
        " values ($1, $2, $3, $4, $5, $6, $7)",
        ref,
        tenant,
        name,
        email,
        whatsapp,
        email or whatsapp,
        summary,
    )
    return ref


async def complainant(conn: asyncpg.Connection, ref: str) -> asyncpg.Record | None:
    return await conn.fetchrow("select * from complainants where complainant_ref = $1::uuid", ref)


async def add_text(
    conn: asyncpg.Connection, tenant: str, complaint_id: str, purpose: str, body: str, at: datetime
) -> str:
    ref = str(uuid.uuid4())
    await conn.execute(
        "insert into complaint_texts (text_ref, complaint_id, tenant, purpose, body, written_at)"
        " values ($1, $2, $3, $4, $5, $6)",
        ref,
        complaint_id,
        tenant,
        purpose,
        body,
        at,
    )
    return ref


async def texts(conn: asyncpg.Connection, complaint_id: str) -> list[asyncpg.Record]:
    return await conn.fetch(
        "select * from complaint_texts where complaint_id = $1::uuid order by written_at", complaint_id
    )


async def add_attachment(
    conn: asyncpg.Connection, tenant: str, complaint_id: str, filename: str, media_type: str, content: bytes
) -> None:
    await conn.execute(
        "insert into complaint_attachments (complaint_id, tenant, filename, media_type, sha256, content)"
        " values ($1, $2, $3, $4, $5, $6)",
        complaint_id,
        tenant,
        filename[:200],
        media_type,
        hashlib.sha256(content).hexdigest(),
        content,
    )


async def attachment(conn: asyncpg.Connection, tenant: str, complaint_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "select * from complaint_attachments where tenant = $1 and complaint_id = $2::uuid", tenant, complaint_id
    )


async def erase(conn: asyncpg.Connection, tenant: str, contact: str) -> list[str]:
    """Name, contacts, the complaint's words, what was written to them (also the copies in the
    outbox, whose unsent messages are dropped) and their attachment become unreadable; the facts
    stay counted."""
    contact = contact.strip().lower()
    rows = await conn.fetch(
        "update complainants set name = $3, contact = $3, email = $3, whatsapp = $3, summary = $3,"
        " erased_at = now() where tenant = $1 and erased_at is null"
        " and $2 in (lower(contact), lower(email), lower(whatsapp)) returning complainant_ref",
        tenant,
        contact,
        ERASED,
    )
    refs = [str(row["complainant_ref"]) for row in rows]
    ids = [
        row["complaint_id"]
        for row in await conn.fetch(
            "select complaint_id from complaint_inbox where complainant_ref = any($1::uuid[])", refs
        )
    ]
    await conn.execute("update complaint_texts set body = $2 where complaint_id = any($1::uuid[])", ids, ERASED)
    await conn.execute(
        "update complaint_attachments set content = null, filename = $2, erased_at = now()"
        " where complaint_id = any($1::uuid[])",
        ids,
        ERASED,
    )
    await drop_pending(conn, refs, "data pribadi dihapus")
    await conn.execute("update notifications set body = $2 where contact_ref = any($1::uuid[])", refs, ERASED)
    return refs
