"""Approval's use cases: open a case per submitted request, resume it when amended, let officials act.

`now` is always given by the caller (the HTTP layer's clock, a test's fixed instant).
"""

from __future__ import annotations

from datetime import datetime

import asyncpg

from approval.adapters import cases, profile_versions
from approval.domain.acting import ActingAppointments
from approval.domain.case import ApprovalCase
from approval.domain.steps import Actor
from approval.service_layer import profiles
from shared.domain import DomainRuleBroken
from shared.events.contracts import RequestAmended, RequestSubmitted, RequestWithdrawn
from shared.events.contracts.intake import RequestRescheduled
from shared.eventstore import Causation
from shared.eventstore.aggregate import history, save
from shared.messaging import Delivery
from shared.tenants import Role, TenantProfile
from shared.tracing import continued, current_carrier, link_to, recording

SCHEMA = "approval"
ACTIONS = {
    "pass": lambda case, actor, now, d: case.pass_on(
        actor, now, d.get("note", ""), d.get("addressee"), d.get("checked", [])
    ),
    "verify": lambda case, actor, now, d: case.verify(actor, d.get("checked", []), now),
    "dispose": lambda case, actor, now, d: case.dispose(actor, d.get("note", ""), d.get("addressee"), now),
    "approve": lambda case, actor, now, d: case.approve(
        actor, now, d.get("signed", True), d.get("note", ""), d.get("addressee"), d.get("checked", [])
    ),
    "return": lambda case, actor, now, d: case.return_to_requester(actor, d.get("missing", []), d.get("note", ""), now),
    "reject": lambda case, actor, now, d: case.reject(actor, d["reason"], now),
    "reassign": lambda case, actor, now, d: case.reassign(actor, d["to"], d.get("reason", ""), now),
}


def open_case(tenant_profile):
    async def handle(conn: asyncpg.Connection, delivery: Delivery) -> None:
        submitted: RequestSubmitted = delivery.event
        profile = tenant_profile(delivery.envelope.tenant)
        await profile_versions.remember(conn, profile)
        case = ApprovalCase(submitted.request_id, profile.id).open(profile, submitted.submitted_at)
        await cases.insert_case(conn, case, submitted)

    return handle


def resume_when_amended(tenant_profile):
    """Perbaikan dari pemohon: a returned request comes back and its step's clock starts again."""

    async def handle(conn: asyncpg.Connection, delivery: Delivery) -> None:
        amended: RequestAmended = delivery.event
        profile = tenant_profile(delivery.envelope.tenant)
        documents = amended.changes.get("documents") or amended.changes.get("document_refs")  # intake sends "documents"
        if documents:
            await cases.add_documents(conn, amended.request_id, documents)
        case = await load_case(conn, profile, amended.request_id)
        if case.resubmit(amended.amended_at, sorted(amended.changes)):
            await _save(conn, case, Causation(delivery.envelope.correlationid, delivery.envelope.id))

    return handle


def reopen_when_rescheduled(tenant_profile):
    """Dijadwalkan ulang: the request goes through the tenant's approval steps again."""

    async def handle(conn: asyncpg.Connection, delivery: Delivery) -> None:
        rescheduled: RequestRescheduled = delivery.event
        profile = tenant_profile(delivery.envelope.tenant)
        case = await load_case(conn, profile, rescheduled.request_id)
        await cases.move_event(conn, rescheduled.request_id, rescheduled.starts_at)
        if case.reopen(rescheduled.rescheduled_at):
            await _save(conn, case, Causation(delivery.envelope.correlationid, delivery.envelope.id))

    return handle


async def close_when_withdrawn(conn: asyncpg.Connection, delivery: Delivery) -> None:
    withdrawn: RequestWithdrawn = delivery.event
    await cases.mark_withdrawn(conn, withdrawn.request_id)


async def load_case(conn: asyncpg.Connection, profile: TenantProfile, request_id: str) -> ApprovalCase:
    """The case rebuilt against the profile it was opened with; `profile` is the tenant's current one."""
    row = await cases.case_row(conn, profile.id, request_id)
    if row is None:
        raise DomainRuleBroken("request_id", "permohonan tidak ditemukan", status=404)
    if row["status"] == "withdrawn":
        raise DomainRuleBroken("request_id", "permohonan sudah dibatalkan oleh pemohon", status=409)
    followed = await profiles.opened_with(conn, profile, row["profile_version"])
    case = ApprovalCase(request_id, profile.id).open(followed, row["submitted_at"])
    return case.replay(await history(conn, ApprovalCase, request_id, profile.id))


async def act(
    conn: asyncpg.Connection,
    profile: TenantProfile,
    request_id: str,
    action: str,
    *,
    by: str,
    role: Role,
    now: datetime,
    correlation_id: str,
    version: int | None = None,
    **details,
) -> ApprovalCase:
    """One official's action on one request, at the version they saw (if they say which)."""
    case = await load_case(conn, profile, request_id)
    if version is not None and version != case.version:
        raise DomainRuleBroken(
            "version",
            "permohonan ini sudah ditindaklanjuti petugas lain sejak Anda membukanya; periksa tampilan terbaru",
            status=409,
        )
    actor = await acting_as(conn, profile.id, by, role, case.addressee, now)
    ACTIONS[action](case, actor, now, details)
    submission = await cases.opening_trace(conn, request_id) if recording() else {}
    clicked = current_carrier()
    with continued(submission, f"approval {action}"):
        link_to(clicked, "decision request")
        await _save(conn, case, Causation(correlation_id))
    return case


async def acting_as(
    conn: asyncpg.Connection, tenant: str, user: str, role: Role, addressee: str | None, now: datetime
) -> Actor:
    """The actor, standing in (Plt.) for the addressee, or for whoever they act for in that role."""
    principals = await cases.officials_stood_in_for(conn, tenant, user, role.value, now)
    if addressee in principals:
        return Actor(user, role, on_behalf_of=addressee)
    return Actor(user, role, on_behalf_of=principals[0] if principals and addressee is None else None)


async def appoint_acting(
    conn: asyncpg.Connection,
    tenant: str,
    *,
    by: str,
    role: Role,
    official: str,
    official_role: Role,
    acting: str,
    starts_at: datetime,
    ends_at: datetime,
    now: datetime,
    correlation_id: str,
) -> None:
    stream = f"{tenant}.{official}"
    appointments = ActingAppointments(stream, tenant).replay(await history(conn, ActingAppointments, stream, tenant))
    appointments.appoint(Actor(by, role), official, official_role, acting, starts_at, ends_at, now)
    [event] = appointments.pending
    await save(conn, SCHEMA, appointments, Causation(correlation_id))
    await cases.insert_appointment(conn, tenant, event)


async def _save(conn: asyncpg.Connection, case: ApprovalCase, cause: Causation) -> None:
    await save(conn, SCHEMA, case, cause)
    await cases.update_case(conn, case)
