"""Withdrawal and reschedule: bookings released or moved, the provider's meeting deleted or moved."""
from __future__ import annotations

import asyncpg
import structlog

from provisioning.adapters import bookings
from provisioning.adapters.bookings import ResourceTaken
from provisioning.domain.meeting import Meeting
from provisioning.service_layer.context import Provisioning
from provisioning.service_layer.scheduling import schedule_meeting, spec_of, window_of
from provisioning.service_layer.streaming import share_hosting
from shared.domain import DomainRuleBroken

log = structlog.get_logger()


async def withdraw(conn: asyncpg.Connection, ctx: Provisioning, meeting: Meeting, reason: str) -> None:
    """Permohonan ditarik: delete the provider's meeting, release every booking."""
    if meeting.version == 0:
        await bookings.release(conn, meeting.tenant, meeting.id)
        return
    if meeting.meeting_id and not meeting.cancelled and not meeting.held:
        await ctx.providers[meeting.provider].delete_meeting(meeting.meeting_id)
    meeting.cancel(reason or "permohonan ditarik")
    await bookings.release(conn, meeting.tenant, meeting.id)


async def reschedule(conn: asyncpg.Connection, ctx: Provisioning, meeting: Meeting, request: asyncpg.Record) -> None:
    """Same account when it is free at the new time (same link); otherwise a new meeting elsewhere."""
    if meeting.cancelled or meeting.held or not meeting.meeting_id:
        return
    tenant, window = meeting.tenant, await window_of(conn, meeting.tenant, request)
    spec = spec_of(request, ctx.time_zone_of(tenant))
    crew = [(kind, resource) for kind, resource, _ in await bookings.booked_for(conn, tenant, meeting.id)
            if kind != "account"]
    await bookings.release(conn, tenant, meeting.id)
    if await _same_account_free(conn, tenant, meeting, window):
        await ctx.providers[meeting.provider].update_meeting(meeting.meeting_id, spec)
        meeting.reschedule(spec.starts_at, spec.ends_at)
    else:
        await ctx.providers[meeting.provider].delete_meeting(meeting.meeting_id)
        await schedule_meeting(conn, ctx, meeting, request)
    kept = await _rebook_crew(conn, tenant, meeting.id, window, crew)
    if meeting.account_id:
        meeting.book(meeting.account_id, window, [r for k, r in kept if k == "operator"],
                     next((r for k, r in kept if k == "kit"), None), next((r for k, r in kept if k == "venue"), None))
    if meeting.account_id and any(kind == "operator" for kind, _ in crew):
        await _share_hosting_again(conn, ctx, meeting)


async def _share_hosting_again(conn, ctx: Provisioning, meeting: Meeting) -> None:
    """The operators who followed the move (a new meeting has none yet); a refusal only logs."""
    try:
        await share_hosting(conn, ctx, meeting)
    except DomainRuleBroken as refused:
        log.warning("provisioning.alternative_hosts_refused", request_id=meeting.id, reason=refused.message)


async def _same_account_free(conn, tenant: str, meeting: Meeting, window) -> bool:
    accounts = {a.account_id: a for a in await bookings.host_accounts(conn, tenant)}
    account = accounts.get(meeting.account_id)
    for seat in range(1, (account.seats if account else 0) + 1):
        try:
            await bookings.book(conn, tenant, meeting.id, "account", account.account_id, window, seat)
            return True
        except ResourceTaken:
            continue
    return False


async def _rebook_crew(conn, tenant: str, request_id: str, window, crew: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Operators, kit and venue follow the meeting when they are free; the others are dropped."""
    kept = []
    for kind, resource in crew:
        try:
            await bookings.book(conn, tenant, request_id, kind, resource, window)
            kept.append((kind, resource))
        except ResourceTaken:
            continue
    return kept
