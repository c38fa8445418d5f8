"""The requester's view of a request: its status and timeline."""
from __future__ import annotations

from datetime import datetime

import asyncpg

from shared.events.contracts import RequestSubmitted


async def open_status(conn: asyncpg.Connection, tenant: str, event_id: str, submitted: RequestSubmitted):
    await conn.execute(
        "insert into request_status (request_id, tenant, tracking_code, event_name, agency,"
        " starts_at, ends_at, status, updated_at) values ($1, $2, $3, $4, $5, $6, $7, 'submitted', $8)",
        submitted.request_id, tenant, submitted.tracking_code, submitted.event_name,
        submitted.agency, submitted.starts_at, submitted.ends_at, submitted.submitted_at,
    )
    await add_to_timeline(conn, submitted.request_id, event_id, status="submitted",
                          at=submitted.submitted_at)


async def add_to_timeline(conn: asyncpg.Connection, request_id: str, event_id: str, *, status: str,
                          at: datetime, note: str = "", **details: str) -> bool:
    """Move the request to `status`; False when the request is unknown here."""
    updated = await conn.execute(
        "update request_status set status = $2, updated_at = $3,"
        " join_url = coalesce($4, join_url), passcode = coalesce($5, passcode)"
        " where request_id = $1", request_id, status, at, details.get("join_url"), details.get("passcode"),
    )
    if updated == "UPDATE 0":
        return False
    await conn.execute(
        "insert into request_timeline (event_id, request_id, status, note, at) values ($1, $2, $3, $4, $5)"
        " on conflict do nothing", event_id, request_id, status, note, at,
    )
    return True


async def status_by_tracking_code(conn: asyncpg.Connection, tenant: str, code: str) -> dict | None:
    row = await conn.fetchrow(
        "select * from request_status where tenant = $1 and tracking_code = $2", tenant, code.upper()
    )
    if row is None:
        return None
    timeline = await conn.fetch(
        "select status, note, at from request_timeline where request_id = $1 order by position",
        row["request_id"],
    )
    return {**dict(row), "request_id": str(row["request_id"]), "timeline": [dict(t) for t in timeline]}
