"""The `cases` inbox table and the `acting_appointments` table in approval's schema."""

from __future__ import annotations

import json
from datetime import datetime

import asyncpg

from approval.domain.case import ApprovalCase
from shared.tracing import carrier_to_store, stored_carrier


def status_of(case: ApprovalCase) -> str:
    if case.closed:
        return "closed"
    return "returned" if case.with_requester else "open"


async def insert_case(conn: asyncpg.Connection, case: ApprovalCase, submitted) -> None:
    await conn.execute(
        "insert into cases (request_id, tenant, agency, event_name, starts_at, submitted_at, step,"
        " step_started_at, due_at, role, tracking_code, document_refs, profile_version, trace_context)"
        " values ($1, $2, $3, $4, $5, $6, $7, $6, $8, $9, $10, $11::jsonb, $12, $13::jsonb) on conflict do nothing",
        case.id,
        case.tenant,
        submitted.agency,
        submitted.event_name,
        submitted.starts_at,
        submitted.submitted_at,
        case.step.id,
        case.due_at(),
        case.step.role.value,
        submitted.tracking_code,
        json.dumps(documents_of(submitted)),
        case.profile_version,
        carrier_to_store(),
    )


async def opening_trace(conn: asyncpg.Connection, request_id: str) -> dict[str, str]:
    """The trace of the submission that opened the case (empty: untraced)."""
    return stored_carrier(await conn.fetchval("select trace_context from cases where request_id = $1", request_id))


def documents_of(submitted) -> dict[str, str]:
    """Every document of the request by kind, the participant list too (the officials may open them)."""
    participants = getattr(submitted, "participant_list_ref", None)
    return {**getattr(submitted, "document_refs", {}), **({"participant_list": participants} if participants else {})}


async def case_row(conn: asyncpg.Connection, tenant: str, request_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow("select * from cases where request_id::text = $1 and tenant = $2", request_id, tenant)


async def update_case(conn: asyncpg.Connection, case: ApprovalCase) -> None:
    await conn.execute(
        "update cases set step = $2, role = $3, step_started_at = $4, due_at = $5, addressee = $6,"
        " status = $7, version = $8 where request_id = $1",
        case.id,
        case.step.id,
        case.step.role.value,
        case.step_started_at,
        case.due_at(),
        case.addressee,
        status_of(case),
        case.version,
    )


async def move_event(conn: asyncpg.Connection, request_id: str, starts_at) -> None:
    await conn.execute("update cases set starts_at = $2 where request_id = $1", request_id, starts_at)


async def add_documents(conn: asyncpg.Connection, request_id: str, refs: dict) -> None:
    await conn.execute(
        "update cases set document_refs = document_refs || $2::jsonb where request_id = $1",
        request_id,
        json.dumps(refs),
    )


async def mark_withdrawn(conn: asyncpg.Connection, request_id: str) -> None:
    await conn.execute("update cases set status = 'withdrawn' where request_id = $1 and status <> 'closed'", request_id)


async def insert_appointment(conn: asyncpg.Connection, tenant: str, event) -> None:
    await conn.execute(
        "insert into acting_appointments (tenant, official, acting, role, starts_at, ends_at, appointed_by)"
        " values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing",
        tenant,
        event.official,
        event.acting,
        event.role,
        event.starts_at,
        event.ends_at,
        event.by,
    )


async def officials_stood_in_for(
    conn: asyncpg.Connection, tenant: str, acting: str, role: str, now: datetime
) -> list[str]:
    """Whom `acting` is Plt. for in `role` at `now`."""
    rows = await conn.fetch(
        "select official from acting_appointments where tenant = $1 and acting = $2 and role = $3"
        " and starts_at <= $4 and $4 < ends_at order by starts_at",
        tenant,
        acting,
        role,
        now,
    )
    return [row["official"] for row in rows]


async def waiting_for(
    conn: asyncpg.Connection, tenant: str, role: str | None, users: list[str]
) -> list[asyncpg.Record]:
    """Open cases at `role`'s steps, addressed to nobody or to one of `users`, soonest due first."""
    return await conn.fetch(
        "select * from cases where tenant = $1 and status = 'open'"
        " and ($2::text is null or role = $2) and (addressee is null or cardinality($3::text[]) = 0"
        " or addressee = any($3::text[])) order by due_at, submitted_at",
        tenant,
        role,
        users,
    )


async def roles_acted_in(conn: asyncpg.Connection, tenant: str, acting: str, now: datetime) -> list[str]:
    """The roles `acting` holds as Plt. at `now`."""
    rows = await conn.fetch(
        "select distinct role from acting_appointments where tenant = $1 and acting = $2"
        " and starts_at <= $3 and $3 < ends_at order by role",
        tenant,
        acting,
        now,
    )
    return [row["role"] for row in rows]
