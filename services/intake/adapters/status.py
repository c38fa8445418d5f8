"""The requester's view of a request: its status and timeline."""

from __future__ import annotations

from datetime import datetime

import asyncpg

from intake.adapters.timeline_signals import announce
from intake.domain.request import Progress
from shared.events.contracts import RequestSubmitted

VERIFICATION_STARTED = {
    "verified": True,
    "disposed": True,
    "approved": True,
    "rejected": True,
    "returned": False,
    "rescheduled": False,
}


async def open_status(conn: asyncpg.Connection, tenant: str, event_id: str, submitted: RequestSubmitted):
    await conn.execute(
        "insert into request_status (request_id, tenant, tracking_code, event_name, agency,"
        " starts_at, ends_at, status, updated_at, contact_ref)"
        " values ($1, $2, $3, $4, $5, $6, $7, 'submitted', $8, $9)",
        submitted.request_id,
        tenant,
        submitted.tracking_code,
        submitted.event_name,
        submitted.agency,
        submitted.starts_at,
        submitted.ends_at,
        submitted.submitted_at,
        submitted.contact_ref,
    )
    await add_to_timeline(conn, submitted.request_id, event_id, status="submitted", at=submitted.submitted_at)


async def add_to_timeline(
    conn: asyncpg.Connection, request_id: str, event_id: str, *, status: str, at: datetime, note: str = "", **details
) -> bool:
    """Move the request to `status`; False when the request is unknown here."""
    updated = await conn.execute(
        "update request_status set status = $2, updated_at = $3,"
        " join_url = coalesce($4, join_url), passcode = coalesce($5, passcode),"
        " verification_started = coalesce($6, verification_started),"
        " starts_at = coalesce($7, starts_at), ends_at = coalesce($8, ends_at),"
        " event_name = coalesce($9, event_name), agency = coalesce($10, agency)"
        " where request_id = $1",
        request_id,
        status,
        at,
        details.get("join_url"),
        details.get("passcode"),
        VERIFICATION_STARTED.get(status),
        details.get("starts_at"),
        details.get("ends_at"),
        details.get("event_name"),
        details.get("agency"),
    )
    if updated == "UPDATE 0":
        return False
    await conn.execute(
        "insert into request_timeline (event_id, request_id, status, note, at) values ($1, $2, $3, $4, $5)"
        " on conflict do nothing",
        event_id,
        request_id,
        status,
        note,
        at,
    )
    await announce(conn, request_id)
    return True


async def progress_of_request(conn: asyncpg.Connection, request_id: str) -> tuple[Progress, asyncpg.Record]:
    """What intake heard of the request so far; the row is locked against the progress consumer."""
    row = await conn.fetchrow("select * from request_status where request_id = $1 for update", request_id)
    closed = row["status"] if row["status"] in ("rejected", "held") else None
    return Progress(verification_started=row["verification_started"], closed_as=closed), row


async def status_by_request_id(conn: asyncpg.Connection, request_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow("select * from request_status where request_id = $1", request_id)


async def status_by_tracking_code(conn: asyncpg.Connection, tenant: str, code: str) -> dict | None:
    row = await conn.fetchrow(
        "select * from request_status where tenant = $1 and tracking_code = $2", tenant, code.upper()
    )
    if row is None:
        return None
    timeline = await timeline_after(conn, str(row["request_id"]), 0)
    public = {k: v for k, v in dict(row).items() if k not in ("contact_ref", "verification_started")}
    return {**public, "request_id": str(row["request_id"]), "timeline": timeline}


async def timeline_after(conn: asyncpg.Connection, request_id: str, position: int) -> list[dict]:
    rows = await conn.fetch(
        "select position, status, note, at from request_timeline where request_id = $1 and position > $2"
        " order by position",
        request_id,
        position,
    )
    return [dict(r) for r in rows]


async def requests_of(conn: asyncpg.Connection, tenant: str, agency: str | None, limit: int = 200) -> list[dict]:
    """An agency's requests (every agency's when `agency` is None), newest submission first."""
    rows = await conn.fetch(
        "select s.request_id, s.tracking_code, s.event_name, s.agency, s.starts_at, s.status,"
        " (select min(t.at) from request_timeline t where t.request_id = s.request_id) as submitted_at"
        " from request_status s where s.tenant = $1 and ($2::text is null or s.agency = $2)"
        " order by submitted_at desc nulls last limit $3",
        tenant,
        agency,
        limit,
    )
    return [dict(r) for r in rows]
