"""What an official sees: the inbox of their role, and one request with its history and actions."""

from __future__ import annotations

import json
from datetime import datetime

import asyncpg

from approval.adapters import cases, profile_versions
from approval.domain.actions import actions_for
from approval.domain.case import ApprovalCase
from approval.domain.deadlines import time_left
from approval.service_layer import profiles
from approval.service_layer.handlers import load_case
from shared.domain import DomainRuleBroken
from shared.eventstore.aggregate import history
from shared.tenants import Role, TenantProfile


async def inbox(
    conn: asyncpg.Connection, profile: TenantProfile, now: datetime, role: Role | None = None, user: str | None = None
) -> list[dict]:
    """Menunggu saya: soonest due first, with the time left and late ones marked."""
    users = (
        [user, *await cases.officials_stood_in_for(conn, profile.id, user, role.value, now)] if user and role else []
    )
    rows = await cases.waiting_for(conn, profile.id, role.value if role else None, users)
    return [_item(await profiles.opened_with(conn, profile, row["profile_version"]), row, now) for row in rows]


def _item(profile: TenantProfile, row: asyncpg.Record, now: datetime) -> dict:
    """One case's line, read against `profile`: the version the case follows."""
    step = next(s for s in profile.approval_steps if s.id == row["step"])
    standard = step.standard.to_standard()
    left = time_left(profile.calendar(), standard, row["due_at"], now)
    whole = time_left(profile.calendar(), standard, row["due_at"], row["step_started_at"])
    return {
        "request_id": str(row["request_id"]),
        "tracking_code": row["tracking_code"],
        "agency": row["agency"],
        "event_name": row["event_name"],
        "starts_at": row["starts_at"],
        "step": step.id,
        "step_name": step.name,
        "role": step.role.value,
        "addressee": row["addressee"],
        "step_started_at": row["step_started_at"],
        "due_at": left.due_at,
        "time_left_minutes": left.minutes,
        "late": left.late,
        "version": row["version"],
        "standard_minutes": whole.minutes,
        "counts_working_time": standard.unit.counts_working_time,
    }


async def request_view(
    conn: asyncpg.Connection, profile: TenantProfile, request_id: str, now: datetime, role: Role | None = None
) -> dict:
    """A request with its documents, checklist, history and the actions `role` may take now."""
    case = await load_case(conn, profile, request_id)
    row = await cases.case_row(conn, profile.id, request_id)
    events = await history(conn, ApprovalCase, request_id, profile.id)
    followed = await profiles.opened_with(conn, profile, row["profile_version"])
    return {
        **_item(followed, row, now),
        "status": cases.status_of(case),
        "outcome": case.outcome,
        "profile_version": await profiles.version_shown(conn, profile, row),
        "version": case.version,
        "submitted_at": row["submitted_at"],
        "documents": dict(_json(row["document_refs"])),
        "checklist": [{"id": id, "name": name} for id, name in case.checklist.names.items()],
        "history": [{"event": event.name, **event.model_dump(mode="json", exclude={"request_id"})} for event in events],
        "actions": [{"name": a.name, "label": a.label} for a in actions_for(case, role)] if role else [],
    }


async def profile_version_view(conn: asyncpg.Connection, profile: TenantProfile, version: str) -> dict:
    """One kept version of the tenant's profile, as the cases opened with it follow it."""
    kept = await profile_versions.kept(conn, profile.id, version)
    if kept is None:
        raise DomainRuleBroken("version", f"versi SOP '{version}' tidak dikenal", status=404)
    return {
        "tenant": profile.id,
        "version": version,
        "first_seen": kept["first_seen"],
        "current": version == profile.version(),
        "profile": kept["body"],
    }


def _json(value) -> dict:
    return json.loads(value) if isinstance(value, str) else value
