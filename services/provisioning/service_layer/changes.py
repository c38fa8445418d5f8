"""Withdrawal and reschedule: bookings released or moved, the provider's meeting deleted or moved (asked here,
made by outside_calls after the commit)."""

from __future__ import annotations

import asyncpg

from provisioning.adapters import bookings, provider_calls
from provisioning.adapters.bookings import ResourceTaken
from provisioning.domain.meeting import Meeting
from provisioning.service_layer.context import Provisioning
from provisioning.service_layer.scheduling import schedule_meeting, window_of
from provisioning.service_layer.streaming import share_hosting


async def withdraw(conn: asyncpg.Connection, ctx: Provisioning, meeting: Meeting, reason: str) -> None:
    """Permohonan ditarik: every booking released, the provider's meeting deleted once this commits."""
    if meeting.version == 0:
        await bookings.release(conn, meeting.tenant, meeting.id)
        return
    if _has_provider_meeting(meeting):
        await provider_calls.ask(conn, meeting, "delete")
    meeting.cancel(reason or "permohonan ditarik")
    await bookings.release(conn, meeting.tenant, meeting.id)


async def reschedule(conn: asyncpg.Connection, ctx: Provisioning, meeting: Meeting, request: asyncpg.Record) -> None:
    """Same account when it is free at the new time (same link, moved on the provider once this
    commits); otherwise the old meeting deleted and a new one asked for elsewhere."""
    if not _has_provider_meeting(meeting):
        return
    tenant, window = meeting.tenant, await window_of(conn, meeting.tenant, request)
    crew = [
        (kind, resource)
        for kind, resource, _ in await bookings.booked_for(conn, tenant, meeting.id)
        if kind != "account"
    ]
    await bookings.release(conn, tenant, meeting.id)
    if await _same_account_free(conn, tenant, meeting, window):
        await provider_calls.ask(conn, meeting, "update")
    else:
        await provider_calls.ask(conn, meeting, "delete")
        await schedule_meeting(conn, ctx, meeting, request)
    kept = await _rebook_crew(conn, tenant, meeting.id, window, crew)
    if meeting.account_id:
        meeting.book(
            meeting.account_id,
            window,
            [r for k, r in kept if k == "operator"],
            next((r for k, r in kept if k == "kit"), None),
            next((r for k, r in kept if k == "venue"), None),
        )
    if meeting.account_id and any(kind == "operator" for kind, _ in crew):
        await share_hosting(conn, meeting)


def _has_provider_meeting(meeting: Meeting) -> bool:
    """Made, or asked for on a booked account (the call may be on its way)."""
    return not meeting.cancelled and not meeting.held and bool(meeting.meeting_id or meeting.booked)


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


async def _rebook_crew(
    conn, tenant: str, request_id: str, window, crew: list[tuple[str, str]]
) -> list[tuple[str, str]]:
    """Operators, kit and venue follow the meeting when they are free; the others are dropped."""
    kept = []
    for kind, resource in crew:
        try:
            await bookings.book(conn, tenant, request_id, kind, resource, window)
            kept.append((kind, resource))
        except ResourceTaken:
            continue
    return kept
