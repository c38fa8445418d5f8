"""Provisioning's use cases: remember requests, schedule approved ones, record readiness and holding."""
from __future__ import annotations

from datetime import datetime, timezone

import asyncpg

from provisioning.adapters.zoom import ZoomClient
from provisioning.domain.meeting import Meeting
from shared.events.contracts import MeetingScheduled, RequestApproved, RequestSubmitted
from shared.eventstore import Causation
from shared.eventstore.aggregate import load, save
from shared.http import DomainRuleBroken
from shared.messaging import Delivery

SCHEMA = "provisioning"


async def remember_request(conn: asyncpg.Connection, delivery: Delivery) -> None:
    submitted: RequestSubmitted = delivery.event
    await conn.execute(
        "insert into requests (request_id, tenant, event_name, agenda, starts_at, ends_at, online_only,"
        " special_needs) values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict do nothing",
        submitted.request_id, delivery.envelope.tenant, submitted.event_name, submitted.agenda,
        submitted.starts_at, submitted.ends_at, submitted.online_only, submitted.special_needs,
    )


def schedule_approved(zoom: ZoomClient, time_zone_of):
    async def handle(conn: asyncpg.Connection, delivery: Delivery) -> None:
        approved: RequestApproved = delivery.event
        tenant = delivery.envelope.tenant
        request = await conn.fetchrow("select * from requests where request_id = $1", approved.request_id)
        if request is None:
            raise LookupError(f"request {approved.request_id} approved before it was seen")
        host = f"host-{tenant}@vidcon.example.test"
        created = await zoom.create_meeting(
            host, request["event_name"], request["agenda"], request["starts_at"], request["ends_at"],
            time_zone_of(tenant), record="recording" in request["special_needs"],
        )
        meeting = Meeting.schedule(tenant, MeetingScheduled(
            request_id=approved.request_id, meeting_id=created.meeting_id, provider="zoom",
            host_account=host, starts_at=request["starts_at"], ends_at=request["ends_at"],
            join_url=created.join_url, passcode=created.passcode,
        ))
        await save(conn, SCHEMA, meeting, Causation(delivery.envelope.correlationid, delivery.envelope.id))

    return handle


async def _meeting(conn: asyncpg.Connection, tenant: str, request_id: str) -> Meeting:
    meeting = await load(conn, Meeting, request_id, tenant)
    if meeting is None:
        raise DomainRuleBroken("request_id", "rapat untuk permohonan ini belum dijadwalkan", status=404)
    return meeting


async def mark_ready(conn, tenant: str, request_id: str, checklist: list[str],
                     requester_supplies: list[str], correlation_id: str) -> None:
    meeting = await _meeting(conn, tenant, request_id)
    meeting.mark_ready(checklist, requester_supplies, datetime.now(timezone.utc))
    await save(conn, SCHEMA, meeting, Causation(correlation_id))


async def record_held(conn, tenant: str, request_id: str, report, correlation_id: str) -> None:
    meeting = await _meeting(conn, tenant, request_id)
    meeting.record_held(report.started_at, report.ended_at, report.attendance, report.problems,
                        report.recording_kept)
    await save(conn, SCHEMA, meeting, Causation(correlation_id))
