"""Intake's use cases: submit and withdraw a request, and follow what other services did."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

import asyncpg

from intake.adapters.contacts import keep_contact
from intake.adapters.status import add_to_timeline, open_status
from intake.domain.commands import SubmitRequest
from intake.domain.request import Request
from intake.domain.tracking import new_tracking_code
from intake.service_layer.progress import progress_of
from shared.events.contracts import RequestSubmitted
from shared.eventstore import Causation
from shared.eventstore.aggregate import load, save
from shared.http import DomainRuleBroken
from shared.messaging import Delivery
from shared.tenants import TenantProfile

SCHEMA = "intake"


def now() -> datetime:
    return datetime.now(timezone.utc)


def check_tenant_rules(profile: TenantProfile, command: SubmitRequest, at: datetime) -> None:
    if command.starts_at <= at:
        raise DomainRuleBroken("starts_at", "waktu mulai harus di masa depan")
    if not profile.meets_lead_time(at, command.starts_at):
        latest = profile.lead_time.latest_submission_date(profile.calendar().local(command.starts_at).date())
        raise DomainRuleBroken("starts_at", f"permohonan harus diajukan paling lambat H-{profile.lead_time.days}"
                                            f" sebelum acara, yaitu tanggal {latest:%d-%m-%Y}")


async def submit_request(conn: asyncpg.Connection, profile: TenantProfile, command: SubmitRequest,
                         correlation_id: str) -> RequestSubmitted:
    at = now()
    check_tenant_rules(profile, command, at)
    contact_ref = await keep_contact(conn, profile.id, command.contact)
    submitted = RequestSubmitted(
        request_id=str(uuid.uuid4()), tracking_code=new_tracking_code(), contact_ref=contact_ref,
        submitted_at=at, **command.model_dump(exclude={"contact"}),
    )
    request = Request.submit(profile.id, submitted)
    [envelope] = await save(conn, SCHEMA, request, Causation(correlation_id))
    await open_status(conn, profile.id, envelope.id, submitted)
    return submitted


async def withdraw_request(conn: asyncpg.Connection, tenant: str, request_id: str, reason: str,
                           correlation_id: str) -> None:
    request = await load(conn, Request, request_id, tenant)
    if request is None:
        raise DomainRuleBroken("request_id", "permohonan tidak ditemukan", status=404)
    at = now()
    request.withdraw(reason, at)
    [envelope] = await save(conn, SCHEMA, request, Causation(correlation_id))
    await add_to_timeline(conn, request_id, envelope.id, status="withdrawn", at=at, note=reason)


async def follow_progress(conn: asyncpg.Connection, delivery: Delivery) -> None:
    """Show another service's step on the requester's timeline."""
    step = progress_of(delivery.event)
    if step is not None:
        await add_to_timeline(conn, delivery.event.request_id, delivery.envelope.id,
                              at=delivery.envelope.time, **step)
