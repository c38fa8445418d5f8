"""Choosing a host account: the least-loaded free one, or why none is free and what is near."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from provisioning.domain.resources import HostAccount, Window
from shared.domain import DomainRuleBroken


@dataclass(frozen=True)
class Held:
    """A booking already made: which resource, which seat, for which request, when."""

    resource_id: str
    seat: int
    request_id: str
    window: Window


def free_seat(account: HostAccount, window: Window, held: list[Held]) -> int | None:
    taken = {h.seat for h in held if h.resource_id == account.account_id and h.window.overlaps(window)}
    return next((seat for seat in range(1, account.seats + 1) if seat not in taken), None)


def least_loaded_free(
    accounts: list[HostAccount], window: Window, held: list[Held], load: dict[str, int]
) -> list[tuple[HostAccount, int]]:
    """Free (account, seat) pairs, the account with the fewest meetings that day first."""
    seats = [(account, free_seat(account, window, held)) for account in accounts]
    free = [(account, seat) for account, seat in seats if seat is not None]
    return sorted(free, key=lambda pair: (load.get(pair[0].account_id, 0), pair[0].account_id))


def conflicts(accounts: list[HostAccount], window: Window, held: list[Held]) -> list[Held]:
    ids = {a.account_id for a in accounts}
    return [h for h in held if h.resource_id in ids and h.window.overlaps(window)]


def nearest_free_from(account: HostAccount, window: Window, held: list[Held]) -> datetime:
    """The earliest start at or after the asked one when `account` has a seat for as long."""
    start = window.starts
    while free_seat(account, window.shifted_to(start), held) is None:
        blocking = [
            h.window.ends
            for h in held
            if h.resource_id == account.account_id and h.window.overlaps(window.shifted_to(start))
        ]
        start = min(blocking)
    return start


def alternatives(accounts: list[HostAccount], window: Window, held: list[Held]) -> list[tuple[str, datetime]]:
    near = [(a.account_id, nearest_free_from(a, window, held)) for a in accounts]
    return sorted(near, key=lambda pair: (pair[1], pair[0]))


def no_account_free(window: Window, clashes: list[Held], near: list[tuple[str, datetime]]) -> DomainRuleBroken:
    taken = ", ".join(sorted({h.resource_id for h in clashes})) or "tidak ada akun aktif"
    offers = "; ".join(f"{account} mulai {at.isoformat(timespec='minutes')}" for account, at in near[:3])
    return DomainRuleBroken(
        "account_id",
        f"tidak ada akun host yang kosong pada waktu itu (terpakai: {taken})"
        + (f"; alternatif terdekat: {offers}" if offers else ""),
        status=409,
    )
