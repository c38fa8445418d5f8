"""From approval to a booked licensed account and the provider's meeting asked for, once, however often the
approval arrives."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import asyncpg

from provisioning.adapters import bookings, provider_calls, resources
from provisioning.adapters.providers import MeetingSpec
from provisioning.domain.meeting import Meeting
from provisioning.domain.resources import HostAccount, Window
from provisioning.domain.scheduling import Held, alternatives, conflicts
from provisioning.service_layer.booking import book_host_account
from provisioning.service_layer.context import Provisioning
from shared.domain import DomainRuleBroken
from shared.events.contracts.provisioning import FreeAlternative, HostAccountUnavailable
from shared.web.formatting import tanggal_waktu


def spec_of(request: asyncpg.Record, time_zone: str) -> MeetingSpec:
    return MeetingSpec(
        str(request["request_id"]),
        request["event_name"],
        request["agenda"],
        request["starts_at"],
        request["ends_at"],
        time_zone,
        record="recording" in request["special_needs"],
    )


async def request_of(conn, request_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow("select * from requests where request_id = $1", request_id)


async def window_of(conn, tenant: str, request: asyncpg.Record) -> Window:
    buffers, _ = await resources.settings_of(conn, tenant)
    return buffers.window(request["starts_at"], request["ends_at"])


async def schedule_meeting(
    conn: asyncpg.Connection, ctx: Provisioning, meeting: Meeting, request: asyncpg.Record, prefer: str | None = None
) -> None:
    """Book the least-loaded free account and ask for the provider's meeting on it: the outside
    call is made after this transaction commits (outside_calls.py), never inside it."""
    meeting.follow(ctx.plan_for(meeting.tenant, request))
    await bookings.release(conn, meeting.tenant, meeting.id, ("account",))
    account = await book_account(conn, ctx, meeting, request, prefer=prefer)
    if account is not None:
        await provider_calls.ask(conn, meeting, "ensure", account.account_id)


async def book_account(
    conn: asyncpg.Connection,
    ctx: Provisioning,
    meeting: Meeting,
    request: asyncpg.Record,
    excluded: set[str] = frozenset(),
    prefer: str | None = None,
) -> HostAccount | None:
    """ResourcesBooked on a free account not capped today nor `excluded`; else HostAccountUnavailable."""
    tenant, window = meeting.tenant, await window_of(conn, meeting.tenant, request)
    capped = await bookings.capped_today(conn, tenant, ctx.clock().date()) | set(excluded)
    try:
        account = await book_host_account(conn, tenant, meeting.id, window, capped, prefer)
    except DomainRuleBroken as refused:
        await _unavailable(conn, tenant, meeting, window, capped, refused)
        return None
    meeting.book(account.account_id, window, meeting.operators, meeting.kit_id, meeting.venue_id)
    return account


async def _unavailable(
    conn, tenant: str, meeting: Meeting, window: Window, capped: set[str], refused: DomainRuleBroken
) -> None:
    accounts = await bookings.host_accounts(conn, tenant)
    held = await bookings.held(conn, tenant, "account", window)
    near = alternatives([a for a in accounts if a.account_id not in capped], window, held)
    meeting.record(
        HostAccountUnavailable(
            request_id=meeting.id,
            booked_from=window.starts,
            booked_until=window.ends,
            conflicting_accounts=sorted({h.resource_id for h in conflicts(accounts, window, held)} | capped),
            alternatives=[FreeAlternative(resource_id=a, free_from=at) for a, at in near[:3]],
        )
    )


async def still_taken(conn, ctx: Provisioning, tenant: str, window: Window) -> DomainRuleBroken:
    """The 409 of a retry that found no account: each booking in the way, whose it is, and what is near."""
    accounts = await bookings.host_accounts(conn, tenant)
    held = await bookings.held(conn, tenant, "account", window)
    clashes = conflicts(accounts, window, held)
    capped = await bookings.capped_today(conn, tenant, ctx.clock().date())
    holders = await bookings.event_names(conn, [clash.request_id for clash in clashes])
    near = alternatives([a for a in accounts if a.account_id not in capped], window, held)
    zone = ctx.time_zone_of(tenant)
    taken = [_held_by(clash, holders, zone) for clash in clashes]
    taken += [
        f"{account} sudah mencapai batas rapat hariannya"
        for account in sorted(capped - {clash.resource_id for clash in clashes})
    ]
    offers = "; ".join(f"{account} mulai {tanggal_waktu(at, zone)}" for account, at in near[:3])
    return DomainRuleBroken(
        "account_id",
        "akun host masih terpakai pada waktu itu: "
        + ("; ".join(taken) or "tidak ada akun host aktif")
        + (f"; alternatif terdekat: {offers}" if offers else ""),
        status=409,
    )


def _held_by(clash: Held, holders: dict[str, str], zone: str) -> str:
    event_name = holders.get(clash.request_id, "?")
    return f"{clash.resource_id} dipakai permohonan '{event_name}' ({clash.request_id}) {_span(clash.window, zone)}"


def _span(window: Window, zone: str) -> str:
    """`Rabu, 2 Desember 2026 08.30–11.30 WITA`; the end in full when it falls on another day."""
    ends = window.ends.astimezone(ZoneInfo(zone))
    if ends.date() != window.starts.astimezone(ZoneInfo(zone)).date():
        return f"{tanggal_waktu(window.starts, zone)} – {tanggal_waktu(window.ends, zone)}"
    day_and_start, zone_name = tanggal_waktu(window.starts, zone).rsplit(" ", 1)
    return f"{day_and_start}–{ends:%H.%M} {zone_name}"
