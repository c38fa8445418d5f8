"""The technical team's use cases: crew, readiness checks, start and end, the report, recordings."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import asyncpg

from provisioning.adapters import provider_calls, resources
from provisioning.domain.meeting import Meeting
from provisioning.domain.report import ExecutionReport
from provisioning.domain.readiness import required_checks, requester_must_bring
from provisioning.service_layer.booking import book_crew
from provisioning.service_layer.context import SCHEMA, Provisioning
from provisioning.service_layer.scheduling import schedule_meeting, still_taken, window_of
from provisioning.service_layer.streaming import share_hosting
from shared.domain import DomainRuleBroken
from shared.eventstore import Causation
from shared.eventstore.aggregate import load, save


async def meeting_of(conn: asyncpg.Connection, tenant: str, request_id: str) -> Meeting:
    meeting = await load(conn, Meeting, request_id, tenant)
    if meeting is None:
        raise DomainRuleBroken("request_id", "rapat untuk permohonan ini belum dijadwalkan", status=404)
    return meeting


async def _request(conn, request_id: str) -> asyncpg.Record:
    request = await conn.fetchrow("select * from requests where request_id = $1", request_id)
    if request is None:
        raise DomainRuleBroken("request_id", "permohonan tidak dikenal", status=404)
    return request


async def _followed(conn, ctx: Provisioning, tenant: str, request_id: str) -> tuple[Meeting, asyncpg.Record]:
    """The meeting, following the tenant's delivery steps, and its request."""
    meeting, request = await meeting_of(conn, tenant, request_id), await _request(conn, request_id)
    return meeting.follow(ctx.plan_for(tenant, request)), request


async def assign_crew(
    conn,
    ctx: Provisioning,
    tenant: str,
    request_id: str,
    operators: list[str],
    kit_id: str | None,
    venue_id: str | None,
    correlation_id: str,
) -> list[str]:
    """Operators, kit and venue; returns what the requester must bring (Gorontalo's rule)."""
    meeting, request = await _followed(conn, ctx, tenant, request_id)
    if not meeting.booked:
        raise DomainRuleBroken("account_id", "rapat belum memiliki akun host", status=409)
    day = meeting.window.starts.astimezone(ZoneInfo(ctx.time_zone_of(tenant))).date()
    items = await book_crew(conn, tenant, request_id, meeting.window, operators, kit_id, venue_id, day)
    meeting.assign_crew(operators, kit_id, venue_id, required_checks(request["online_only"]), ctx.clock())
    await share_hosting(conn, meeting)
    missing = requester_must_bring(list(request["equipment"]), items) if kit_id else list(request["equipment"])
    meeting.require_from_requester(missing)
    await save(conn, SCHEMA, meeting, Causation(correlation_id))
    return missing


async def retry_scheduling(
    conn, ctx: Provisioning, tenant: str, request_id: str, account_id: str | None, correlation_id: str
) -> Meeting:
    """After 'no account free': try again now, on the account the team names or the least loaded. The
    answer comes before the provider's meeting exists (its link is 'sedang dibuat')."""
    meeting = await load(conn, Meeting, request_id, tenant)
    if meeting is None or meeting.meeting_id or meeting.booked:
        raise DomainRuleBroken("request_id", "rapat ini tidak menunggu akun host", status=409)
    request = await _request(conn, request_id)
    await schedule_meeting(conn, ctx, meeting, request, prefer=account_id)
    if not meeting.booked:  # the refusal rolls back: the first 'unavailable' already told everyone
        raise await still_taken(conn, ctx, tenant, await window_of(conn, tenant, request))
    await save(conn, SCHEMA, meeting, Causation(correlation_id))
    return meeting


async def record_check(
    conn, ctx: Provisioning, tenant: str, request_id: str, check: str, by: str, note: str, correlation_id: str
) -> Meeting:
    meeting, request = await _followed(conn, ctx, tenant, request_id)
    meeting.record_check(check, by, note, ctx.clock(), required_checks(request["online_only"]))
    await save(conn, SCHEMA, meeting, Causation(correlation_id))
    return meeting


async def mark_ready(
    conn,
    ctx: Provisioning,
    tenant: str,
    request_id: str,
    checklist: list[str],
    requester_supplies: list[str],
    correlation_id: str,
) -> None:
    meeting, _ = await _followed(conn, ctx, tenant, request_id)
    meeting.mark_ready(checklist, requester_supplies or meeting.requester_supplies, ctx.clock())
    await save(conn, SCHEMA, meeting, Causation(correlation_id))


async def record_start_or_end(
    conn,
    ctx: Provisioning,
    tenant: str,
    request_id: str,
    what: str,
    at,
    source: str,
    correlation_id: str,
    causation_id: str | None = None,
) -> None:
    meeting = await meeting_of(conn, tenant, request_id)
    at, zone = at or ctx.clock(), ZoneInfo(ctx.time_zone_of(tenant))
    if what == "started":
        meeting.record_started(at, source, await resources.early_start_of(conn, tenant), zone)
    else:
        meeting.record_ended(at, source, zone)
    if meeting.pending:
        await save(conn, SCHEMA, meeting, Causation(correlation_id, causation_id))


async def record_held(conn, ctx: Provisioning, tenant: str, request_id: str, report: dict, correlation_id: str) -> None:
    """Laporan pelaksanaan."""
    meeting, _ = await _followed(conn, ctx, tenant, request_id)
    meeting.record_held(**report, at=ctx.clock())
    await save(conn, SCHEMA, meeting, Causation(correlation_id))


async def correct_report(
    conn, ctx: Provisioning, tenant: str, request_id: str, report: dict, reason: str, by: str, correlation_id: str
) -> Meeting:
    """Laporan diperbaiki, recorded as its own event."""
    meeting = await meeting_of(conn, tenant, request_id)
    meeting.correct_report(ExecutionReport(**report), reason, by, ctx.clock())
    await save(conn, SCHEMA, meeting, Causation(correlation_id))
    return meeting


async def delete_expired_recordings(conn, ctx: Provisioning, tenant: str) -> int:
    """Rekaman dihapus setelah masa simpan: the deletion asked once per recording past retention;
    RecordingDeleted is recorded when the provider has done it (outside_calls)."""
    _, days = await resources.settings_of(conn, tenant)
    due = await conn.fetch(
        "select distinct stream_id from events where tenant = $1 and type like '%.recording.completed.%'"
        " and (envelope->'data'->>'completed_at')::timestamptz < $2",
        tenant,
        ctx.clock() - timedelta(days=days),
    )
    asked = 0
    for row in due:
        meeting = await meeting_of(conn, tenant, row["stream_id"].removeprefix("meeting-"))
        if meeting.recording_deleted or await provider_calls.asked(conn, meeting.id, "delete_recordings"):
            continue
        await provider_calls.ask(conn, meeting, "delete_recordings", correlation_id=f"retention-{meeting.id}")
        asked += 1
    return asked
