"""The inbox row of a complaint, written with its events: what the officer's list, the team's
list and the public tracking page read."""

from __future__ import annotations

import uuid

import asyncpg

from complaints.domain.complaint import Complaint


async def keep(conn: asyncpg.Connection, complaint: Complaint) -> None:
    received, closed = complaint.received, complaint.closed
    await conn.execute(
        "insert into complaint_inbox (complaint_id, tenant, tracking_code, category, kind, channel, status,"
        " received_at, due_at, assignee, assigned, request_id, complainant_ref, anonymous, answered_at,"
        " closed_at, met_standard)"
        " values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)"
        " on conflict (complaint_id) do update set kind = excluded.kind, status = excluded.status,"
        " due_at = excluded.due_at, assignee = excluded.assignee, assigned = excluded.assigned,"
        " answered_at = excluded.answered_at, closed_at = excluded.closed_at,"
        " met_standard = excluded.met_standard",
        complaint.id,
        complaint.tenant,
        received.tracking_code,
        complaint.category,
        complaint.kind,
        received.channel,
        complaint.status,
        received.received_at,
        complaint.due_at,
        complaint.assignee,
        complaint.assigned,
        received.request_id,
        received.complainant_ref,
        received.anonymous,
        complaint.answered_at,
        closed and closed.timing.finished_at,
        closed and closed.timing.met_standard,
    )


async def by_code(conn: asyncpg.Connection, tenant: str, code: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "select * from complaint_inbox where tenant = $1 and tracking_code = $2", tenant, code.strip().upper()
    )


async def by_id(conn: asyncpg.Connection, tenant: str, complaint_id: str) -> asyncpg.Record | None:
    try:
        uuid.UUID(complaint_id)
    except ValueError:
        return None
    return await conn.fetchrow(
        "select * from complaint_inbox where tenant = $1 and complaint_id = $2::uuid", tenant, complaint_id
    )


async def open_ones(
    conn: asyncpg.Connection, tenant: str, assignee: str | None = None, team_only: bool = False
) -> list[asyncpg.Record]:
    """Open complaints by due time (unclassified ones, with no deadline yet, first); for the
    handling team only those handed to the team as a whole or to `assignee`."""
    return await conn.fetch(
        "select * from complaint_inbox where tenant = $1 and category = 'complaint' and status <> 'closed'"
        " and (not $3 or (assigned and (assignee is null or assignee = $2)))"
        " order by due_at nulls first, received_at",
        tenant,
        assignee,
        team_only,
    )


async def feedback(conn: asyncpg.Connection, tenant: str, limit: int = 100) -> list[asyncpg.Record]:
    """Saran and apresiasi, newest first: counted apart, nothing to handle."""
    return await conn.fetch(
        "select * from complaint_inbox where tenant = $1 and category <> 'complaint'"
        " order by received_at desc limit $2",
        tenant,
        limit,
    )
