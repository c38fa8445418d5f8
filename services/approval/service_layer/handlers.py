"""Approval's use cases: open a case per submitted request, let officials act on it."""
from __future__ import annotations

from datetime import datetime, timezone

import asyncpg

from approval.domain.case import ApprovalCase
from shared.events.contracts import RequestSubmitted
from shared.eventstore import Causation
from shared.eventstore.aggregate import history, save
from shared.http import DomainRuleBroken
from shared.messaging import Delivery
from shared.tenants import TenantProfile

SCHEMA = "approval"


def open_case(tenant_profile):
    async def handle(conn: asyncpg.Connection, delivery: Delivery) -> None:
        submitted: RequestSubmitted = delivery.event
        profile = tenant_profile(delivery.envelope.tenant)
        first = profile.approval_steps[0]
        due = profile.calendar().due(submitted.submitted_at, first.standard.to_standard())
        await conn.execute(
            "insert into cases (request_id, tenant, agency, event_name, starts_at, submitted_at, step,"
            " step_started_at, due_at) values ($1, $2, $3, $4, $5, $6, $7, $6, $8) on conflict do nothing",
            submitted.request_id, profile.id, submitted.agency, submitted.event_name,
            submitted.starts_at, submitted.submitted_at, first.id, due,
        )

    return handle


async def load_case(conn: asyncpg.Connection, profile: TenantProfile, request_id: str) -> ApprovalCase:
    row = await conn.fetchrow("select submitted_at from cases where request_id = $1 and tenant = $2",
                              request_id, profile.id)
    if row is None:
        raise DomainRuleBroken("request_id", "permohonan tidak ditemukan", status=404)
    case = ApprovalCase(request_id, profile.id).open(profile.approval_steps, profile.calendar(),
                                                     row["submitted_at"])
    return case.replay(await history(conn, ApprovalCase, request_id, profile.id))


async def act(conn: asyncpg.Connection, profile: TenantProfile, request_id: str, action: str,
              by: str, correlation_id: str, **details) -> ApprovalCase:
    case = await load_case(conn, profile, request_id)
    now = datetime.now(timezone.utc)
    match action:
        case "pass":
            case.pass_on(by, details.get("note", ""), details.get("addressee"), now)
        case "approve":
            case.approve(by, now, signed=details.get("signed", True))
        case "reject":
            case.reject(by, details["reason"], now)
    await save(conn, SCHEMA, case, Causation(correlation_id))
    await _update_inbox(conn, profile, case)
    return case


async def _update_inbox(conn: asyncpg.Connection, profile: TenantProfile, case: ApprovalCase) -> None:
    due = profile.calendar().due(case.step_started_at, case.step.standard.to_standard())
    await conn.execute(
        "update cases set step = $2, step_started_at = $3, due_at = $4, status = $5 where request_id = $1",
        case.id, case.step.id, case.step_started_at, due, "closed" if case.closed else "open",
    )
