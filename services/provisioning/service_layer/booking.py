"""Booking host accounts, operators, kits and venues; PostgreSQL's constraint has the last word."""

from __future__ import annotations

from datetime import date

import asyncpg

from provisioning.adapters import bookings, resources
from provisioning.adapters.bookings import ResourceTaken
from provisioning.domain.resources import HostAccount, Window
from provisioning.domain.scheduling import alternatives, conflicts, least_loaded_free, no_account_free
from shared.domain import DomainRuleBroken


async def book_host_account(
    conn: asyncpg.Connection,
    tenant: str,
    request_id: str,
    window: Window,
    exclude: set[str] = frozenset(),
    prefer: str | None = None,
) -> HostAccount:
    """The least-loaded free account (or `prefer` when free); 409 naming conflicts and alternatives."""
    accounts = [a for a in await bookings.host_accounts(conn, tenant) if a.account_id not in exclude]
    held = await bookings.held(conn, tenant, "account", window)
    load = await bookings.meetings_per_account(conn, tenant, window.starts)
    candidates = [account for account, _ in least_loaded_free(accounts, window, held, load)]
    candidates.sort(key=lambda account: account.account_id != prefer)
    for account in candidates:
        for seat in range(1, account.seats + 1):
            try:
                await bookings.book(conn, tenant, request_id, "account", account.account_id, window, seat)
                return account
            except ResourceTaken:
                continue  # another approval committed this seat after we looked
    held = await bookings.held(conn, tenant, "account", window)  # again: what won a race shows now
    raise no_account_free(window, conflicts(accounts, window, held), alternatives(accounts, window, held))


async def book_crew(
    conn: asyncpg.Connection,
    tenant: str,
    request_id: str,
    window: Window,
    operators: list[str],
    kit_id: str | None,
    venue_id: str | None,
    day: date,
) -> tuple[str, ...]:
    """Operators, kit and venue for the window; returns the kit's items. All or nothing."""
    await bookings.release(conn, tenant, request_id, ("operator", "kit", "venue"))
    for user_id in operators:
        await _book_operator(conn, tenant, request_id, window, user_id, day)
    items: tuple[str, ...] = ()
    if kit_id:
        kit = await resources.kit(conn, tenant, kit_id)
        if kit is None:
            raise DomainRuleBroken("kit_id", f"perlengkapan '{kit_id}' tidak terdaftar", status=404)
        await _book(conn, tenant, request_id, "kit", kit_id, window, "kit_id", "perlengkapan")
        items = kit.items
    if venue_id:
        if not await resources.venue_exists(conn, tenant, venue_id):
            raise DomainRuleBroken("venue_id", f"lokasi '{venue_id}' tidak terdaftar", status=404)
        await _book(conn, tenant, request_id, "venue", venue_id, window, "venue_id", "lokasi")
    return items


async def _book_operator(conn, tenant: str, request_id: str, window: Window, user_id: str, day: date) -> None:
    person = await resources.operator(conn, tenant, user_id)
    if person is None:
        raise DomainRuleBroken("operators", f"operator '{user_id}' tidak terdaftar", status=404)
    if not person.available_on(day):
        raise DomainRuleBroken(
            "operators", f"operator '{user_id}' tidak bertugas atau sedang cuti pada hari itu", status=409
        )
    await _book(conn, tenant, request_id, "operator", user_id, window, "operators", "operator")


async def _book(conn, tenant, request_id, kind, resource_id, window, field, word) -> None:
    try:
        await bookings.book(conn, tenant, request_id, kind, resource_id, window)
    except ResourceTaken:
        held = [h for h in await bookings.held(conn, tenant, kind, window) if h.resource_id == resource_id]
        busy = "; ".join(f"{h.window.starts:%H:%M}-{h.window.ends:%H:%M}" for h in held if h.window.overlaps(window))
        raise DomainRuleBroken(field, f"{word} '{resource_id}' sudah dipesan rapat lain ({busy})", status=409)
