"""What the API and the pages both do: each action opens one transaction and calls the service layer."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from fastapi import Request

from provisioning.domain.meeting import Meeting
from provisioning.domain.readiness import CHECK_NAMES
from provisioning.entrypoints.bodies import ExecutionReport, Failure
from provisioning.service_layer import execution, failures
from provisioning.service_layer.daily import Day, DayMeeting, day_of
from shared.domain import DomainRuleBroken
from shared.http import correlation_id_from


def context(request: Request, tenant: str):
    runtime = request.app.state.runtime
    runtime.tenant(tenant)
    return runtime, runtime.extras["provisioning"]


def zone_of(request: Request, tenant: str) -> ZoneInfo:
    return ZoneInfo(request.app.state.runtime.tenant(tenant).time_zone)


def today(request: Request, tenant: str) -> date:
    _, ctx = context(request, tenant)
    return ctx.clock().astimezone(zone_of(request, tenant)).date()


async def meeting(request: Request, tenant: str, request_id: str) -> Meeting:
    runtime, _ = context(request, tenant)
    async with runtime.pool.acquire() as conn:
        return await execution.meeting_of(conn, tenant, request_id)


async def day(request: Request, tenant: str, which: date) -> Day:
    runtime, _ = context(request, tenant)
    async with runtime.pool.acquire() as conn:
        return await day_of(conn, tenant, which, zone_of(request, tenant))


async def day_meeting(request: Request, tenant: str, request_id: str) -> DayMeeting:
    """The meeting as its day shows it (its request's name and venue); 404 when it has no booking."""
    found_meeting = await meeting(request, tenant, request_id)
    if not found_meeting.starts_at or found_meeting.cancelled:
        raise DomainRuleBroken("request_id", "rapat untuk permohonan ini belum dijadwalkan", status=404)
    found = await day(request, tenant, found_meeting.starts_at.astimezone(zone_of(request, tenant)).date())
    if request_id not in found.meetings:
        raise DomainRuleBroken("request_id", "rapat untuk permohonan ini tidak memiliki pemesanan", status=404)
    return found.meetings[request_id]


async def record_check(request: Request, tenant: str, request_id: str, check: str, by: str, note: str = "") -> Meeting:
    runtime, ctx = context(request, tenant)
    if check not in CHECK_NAMES:
        raise DomainRuleBroken("check", "pemeriksaan harus salah satu dari network, equipment, venue, trial_run")
    async with runtime.transaction() as conn:
        return await execution.record_check(
            conn, ctx, tenant, request_id, check, by, note, correlation_id_from(request)
        )


async def record_start_or_end(
    request: Request, tenant: str, request_id: str, moment: str, at: datetime | None = None
) -> None:
    """Mulai / selesai as the operator records it (Zoom's webhook may have told it already)."""
    runtime, ctx = context(request, tenant)
    async with runtime.transaction() as conn:
        await execution.record_start_or_end(
            conn, ctx, tenant, request_id, moment, at, "operator", correlation_id_from(request)
        )


async def record_held(request: Request, tenant: str, request_id: str, report: ExecutionReport) -> None:
    runtime, ctx = context(request, tenant)
    async with runtime.transaction() as conn:
        await execution.record_held(conn, ctx, tenant, request_id, report.model_dump(), correlation_id_from(request))


async def record_failed(request: Request, tenant: str, request_id: str, failure: Failure, by: str) -> Meeting:
    """Tidak terlaksana, as the technical team or an operator records it."""
    runtime, ctx = context(request, tenant)
    async with runtime.transaction() as conn:
        return await failures.record_failed(
            conn, ctx, tenant, request_id, failure.reason, failure.note, by, correlation_id_from(request)
        )
