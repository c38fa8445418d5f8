"""Provisioning's reactions to other services' events: remember, schedule, withdraw, reschedule."""

from __future__ import annotations

import asyncpg

from provisioning.domain.meeting import Meeting
from provisioning.service_layer import changes
from provisioning.service_layer.context import SCHEMA, Provisioning
from provisioning.service_layer.scheduling import schedule_meeting
from shared.domain import DomainRuleBroken
from shared.events.contracts import RequestApproved, RequestSubmitted
from shared.eventstore import Causation
from shared.eventstore.aggregate import load, save
from shared.messaging import Delivery


async def remember_request(conn: asyncpg.Connection, delivery: Delivery) -> None:
    submitted: RequestSubmitted = delivery.event
    await conn.execute(
        "insert into requests (request_id, tenant, event_name, agenda, starts_at, ends_at, online_only,"
        " special_needs, equipment, venue, agency) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
        " on conflict do nothing",
        submitted.request_id,
        delivery.envelope.tenant,
        submitted.event_name,
        submitted.agenda,
        submitted.starts_at,
        submitted.ends_at,
        submitted.online_only,
        submitted.special_needs,
        getattr(submitted, "equipment", []),
        submitted.venue,
        submitted.agency,
    )


async def _request(conn, request_id: str) -> asyncpg.Record:
    request = await conn.fetchrow("select * from requests where request_id = $1", request_id)
    if request is None:
        raise DomainRuleBroken("request_id", f"permohonan {request_id} tidak dikenal oleh provisioning", status=404)
    return request


async def _meeting(conn, tenant: str, request_id: str) -> Meeting:
    return await load(conn, Meeting, request_id, tenant) or Meeting(request_id, tenant)


def _cause(delivery: Delivery) -> Causation:
    return Causation(delivery.envelope.correlationid, delivery.envelope.id)


def schedule_approved(ctx: Provisioning):
    async def handle(conn: asyncpg.Connection, delivery: Delivery) -> None:
        approved: RequestApproved = delivery.event
        tenant = delivery.envelope.tenant
        await conn.execute(
            "update requests set approved_at = $2 where request_id = $1",
            approved.request_id,
            approved.timing.finished_at,
        )
        request = await _request(conn, approved.request_id)
        meeting = await _meeting(conn, tenant, approved.request_id)
        if meeting.meeting_id or meeting.booked or meeting.cancelled:
            return  # approved again after a reschedule: the meeting (or the call making it) already followed it
        await schedule_meeting(conn, ctx, meeting, request)
        await save(conn, SCHEMA, meeting, _cause(delivery))

    return handle


def withdraw_request(ctx: Provisioning):
    async def handle(conn: asyncpg.Connection, delivery: Delivery) -> None:
        meeting = await _meeting(conn, delivery.envelope.tenant, delivery.event.request_id)
        await changes.withdraw(conn, ctx, meeting, delivery.event.reason)
        if meeting.pending:
            await save(conn, SCHEMA, meeting, _cause(delivery))

    return handle


def reschedule_request(ctx: Provisioning):
    async def handle(conn: asyncpg.Connection, delivery: Delivery) -> None:
        moved = delivery.event
        await conn.execute(
            "update requests set starts_at = $2, ends_at = $3, link_checked = false where request_id = $1",
            moved.request_id,
            moved.starts_at,
            moved.ends_at,
        )
        meeting = await _meeting(conn, delivery.envelope.tenant, moved.request_id)
        await changes.reschedule(conn, ctx, meeting, await _request(conn, moved.request_id))
        if meeting.pending:
            await save(conn, SCHEMA, meeting, _cause(delivery))

    return handle


async def reopen_request(conn: asyncpg.Connection, delivery: Delivery) -> None:
    """Back at approval's first step: the delivery steps count from the next approval."""
    await conn.execute("update requests set approved_at = null where request_id = $1", delivery.event.request_id)
