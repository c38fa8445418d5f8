"""Complaints' use cases: receive a complaint, resolve it."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

import asyncpg

from complaints.domain.complaint import Complaint
from shared.eventstore import Causation
from shared.eventstore.aggregate import load, save
from shared.http import DomainRuleBroken
from shared.personal_data import ERASED
from shared.tenants import TenantProfile

SCHEMA = "complaints"


async def receive_complaint(conn: asyncpg.Connection, profile: TenantProfile, command,
                            correlation_id: str) -> Complaint:
    if command.channel not in profile.complaint_channels:
        accepted = ", ".join(channel.value for channel in profile.complaint_channels)
        raise DomainRuleBroken("channel", f"saluran pengaduan ini tidak dilayani; pilih: {accepted}")
    complainant_ref = str(uuid.uuid4())
    await conn.execute(
        "insert into complainants (complainant_ref, tenant, name, contact, summary)"
        " values ($1, $2, $3, $4, $5)",
        complainant_ref, profile.id, command.name, command.contact, command.summary,
    )
    complaint = Complaint.receive(
        str(uuid.uuid4()), profile.id, command.kind, profile.complaint_deadlines, profile.calendar(),
        datetime.now(timezone.utc), channel=command.channel, request_id=command.request_id,
        complainant_ref=complainant_ref,
    )
    await save(conn, SCHEMA, complaint, Causation(correlation_id))
    return complaint


async def resolve_complaint(conn: asyncpg.Connection, profile: TenantProfile, complaint_id: str,
                            officer: str, correlation_id: str) -> Complaint:
    complaint = await load(conn, Complaint, complaint_id, profile.id)
    if complaint is None:
        raise DomainRuleBroken("complaint_id", "pengaduan tidak ditemukan", status=404)
    complaint.resolve(profile.complaint_deadlines, profile.calendar(), datetime.now(timezone.utc), by=officer)
    await save(conn, SCHEMA, complaint, Causation(correlation_id))
    return complaint


async def erase_complainant(conn: asyncpg.Connection, tenant: str, contact: str) -> list[str]:
    """Name, contact and the complaint's own words become unreadable; the facts stay counted."""
    rows = await conn.fetch(
        "update complainants set name = $3, contact = $3, summary = $3, erased_at = now()"
        " where tenant = $1 and erased_at is null and lower(contact) = lower($2) returning complainant_ref",
        tenant, contact.strip(), ERASED)
    return [str(row["complainant_ref"]) for row in rows]
