"""Uploaded documents in PostgreSQL (bytea, with sha256): in the same transaction as the request."""

from __future__ import annotations

import hashlib
import uuid

import asyncpg

from shared.domain import DomainRuleBroken


async def store_document(
    conn: asyncpg.Connection, tenant: str, kind: str, filename: str, media_type: str, content: bytes
) -> dict:
    document = {
        "document_ref": str(uuid.uuid4()),
        "kind": kind,
        "size_bytes": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
    }
    await conn.execute(
        "insert into documents (document_ref, tenant, kind, filename, media_type, size_bytes, sha256, content)"
        " values ($1, $2, $3, $4, $5, $6, $7, $8)",
        document["document_ref"],
        tenant,
        kind,
        filename[:200],
        media_type,
        len(content),
        document["sha256"],
        content,
    )
    return document


async def attach_documents(conn: asyncpg.Connection, tenant: str, request_id: str, refs: dict[str, str]) -> None:
    """Claim each uploaded document for this request; each must be of the kind it is given as."""
    for kind, ref in refs.items():
        row = await conn.fetchrow(
            "select kind, request_id from documents where document_ref = $1 and tenant = $2 for update",
            uuid.UUID(ref),
            tenant,
        )
        if row is None:
            raise DomainRuleBroken(f"documents.{kind}", "berkas tidak ditemukan; unggah berkas terlebih dahulu")
        if row["kind"] != kind:
            raise DomainRuleBroken(f"documents.{kind}", f"berkas ini diunggah sebagai {row['kind']}, bukan {kind}")
        if row["request_id"] not in (None, uuid.UUID(request_id)):
            raise DomainRuleBroken(f"documents.{kind}", "berkas ini sudah dipakai oleh permohonan lain")
        await conn.execute(
            "update documents set request_id = $2 where document_ref = $1", uuid.UUID(ref), uuid.UUID(request_id)
        )


async def forget_unattached(conn: asyncpg.Connection, older_than_hours: int = 24) -> int:
    """Uploads never claimed by a request are deleted after a day."""
    done = await conn.execute(
        "delete from documents where request_id is null and uploaded_at < now() - make_interval(hours => $1)",
        older_than_hours,
    )
    return int(done.split()[-1])


async def unclaimed_documents(conn: asyncpg.Connection, tenant: str, refs: dict[str, str]) -> dict[str, dict]:
    """Uploads kept from a refused form, by kind: only those still unclaimed and of the kind they are given as."""
    rows = await conn.fetch(
        "select document_ref::text as ref, kind, filename from documents where tenant = $1"
        " and request_id is null and document_ref::text = any($2::text[])",
        tenant,
        list(refs.values()),
    )
    found = {(row["kind"], row["ref"]): row["filename"] for row in rows}
    return {
        kind: {"document_ref": ref, "filename": found[kind, ref]} for kind, ref in refs.items() if (kind, ref) in found
    }


async def claimed_document(conn: asyncpg.Connection, tenant: str, document_ref: str) -> asyncpg.Record | None:
    """A request's document with its content; an upload no request claimed is nobody's to read."""
    return await conn.fetchrow(
        "select d.*, s.agency, s.contact_ref from documents d"
        " join request_status s on s.request_id = d.request_id"
        " where d.tenant = $1 and d.document_ref::text = $2",
        tenant,
        document_ref,
    )
