"""Bookings in PostgreSQL: the exclusion constraint on `bookings` makes a double booking impossible."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import asyncpg
from asyncpg.types import Range

from provisioning.domain.resources import HostAccount, Window
from provisioning.domain.scheduling import Held


class ResourceTaken(Exception):
    """Another meeting holds the resource for an overlapping time (raised by the constraint)."""


def _range(window: Window) -> Range:
    return Range(window.starts, window.ends, lower_inc=True, upper_inc=False)


async def host_accounts(conn: asyncpg.Connection, tenant: str, provider: str | None = None) -> list[HostAccount]:
    rows = await conn.fetch(
        "select account_id, provider, host_user, license, daily_cap from host_accounts"
        " where tenant = $1 and active and ($2::text is null or provider = $2) order by account_id",
        tenant,
        provider,
    )
    return [HostAccount(**dict(row)) for row in rows]


async def held(
    conn: asyncpg.Connection, tenant: str, kind: str, around: Window, margin: timedelta = timedelta(days=2)
) -> list[Held]:
    """Bookings of `kind` near `around` (wide enough to find the nearest free time)."""
    wide = Window(around.starts - margin, around.ends + margin)
    rows = await conn.fetch(
        "select resource_id, slot, request_id::text, lower(during) as starts, upper(during) as ends"
        " from bookings where tenant = $1 and kind = $2 and during && $3 order by lower(during)",
        tenant,
        kind,
        _range(wide),
    )
    return [Held(r["resource_id"], r["slot"], r["request_id"], Window(r["starts"], r["ends"])) for r in rows]


async def event_names(conn: asyncpg.Connection, request_ids: list[str]) -> dict[str, str]:
    """The name of each request's event (acara), by request id."""
    rows = await conn.fetch(
        "select request_id::text, event_name from requests where request_id = any($1::uuid[])", request_ids
    )
    return {r["request_id"]: r["event_name"] for r in rows}


async def meetings_per_account(conn: asyncpg.Connection, tenant: str, day_of: datetime) -> dict[str, int]:
    day = Window(day_of - timedelta(hours=12), day_of + timedelta(hours=12))
    rows = await conn.fetch(
        "select resource_id, count(*) as n from bookings where tenant = $1 and kind = 'account'"
        " and during && $2 group by resource_id",
        tenant,
        _range(day),
    )
    return {r["resource_id"]: r["n"] for r in rows}


DEADLOCK_ATTEMPTS = 3


async def book(
    conn: asyncpg.Connection, tenant: str, request_id: str, kind: str, resource_id: str, window: Window, seat: int = 1
) -> None:
    """Hold one resource; `ResourceTaken` when the constraint finds an overlap (nothing written).

    Two overlapping inserts each wait for the other's exclusion check, and PostgreSQL ends
    one of them as a deadlock: that one is tried again, and then finds the other's row."""
    for attempt in range(1, DEADLOCK_ATTEMPTS + 1):
        try:
            async with conn.transaction():  # a savepoint: the caller's transaction survives a refusal
                await conn.execute(
                    "insert into bookings (tenant, request_id, kind, resource_id, slot, during)"
                    " values ($1, $2, $3, $4, $5, $6)",
                    tenant,
                    request_id,
                    kind,
                    resource_id,
                    seat,
                    _range(window),
                )
            return
        except (asyncpg.ExclusionViolationError, asyncpg.UniqueViolationError) as taken:
            raise ResourceTaken(f"{kind} {resource_id}") from taken
        except asyncpg.DeadlockDetectedError:
            if attempt == DEADLOCK_ATTEMPTS:
                raise


async def release(conn: asyncpg.Connection, tenant: str, request_id: str, kinds: tuple[str, ...] | None = None) -> int:
    done = await conn.execute(
        "delete from bookings where tenant = $1 and request_id = $2 and ($3::text[] is null or kind = any($3))",
        tenant,
        request_id,
        list(kinds) if kinds else None,
    )
    return int(done.split()[-1])


async def booked_for(conn: asyncpg.Connection, tenant: str, request_id: str) -> list[tuple[str, str, int]]:
    rows = await conn.fetch(
        "select kind, resource_id, slot from bookings where tenant = $1 and request_id = $2 order by kind, resource_id",
        tenant,
        request_id,
    )
    return [(r["kind"], r["resource_id"], r["slot"]) for r in rows]


async def schedule_by_day(conn: asyncpg.Connection, tenant: str, day: date, zone) -> list[dict]:
    """Every booking touching `day` in the tenant's zone: the technical team's schedule."""
    starts = datetime.combine(day, datetime.min.time(), tzinfo=zone)
    rows = await conn.fetch(
        "select kind, resource_id, slot, request_id::text, lower(during) as starts, upper(during) as ends"
        " from bookings where tenant = $1 and during && $2 order by kind, resource_id, lower(during)",
        tenant,
        _range(Window(starts, starts + timedelta(days=1))),
    )
    return [dict(r) for r in rows]


async def cap_reached(conn: asyncpg.Connection, tenant: str, account_id: str, day: date) -> None:
    await conn.execute(
        "insert into host_daily_usage (tenant, account_id, day, capped) values ($1, $2, $3, true)"
        " on conflict (tenant, account_id, day) do update set capped = true",
        tenant,
        account_id,
        day,
    )


async def capped_today(conn: asyncpg.Connection, tenant: str, day: date) -> set[str]:
    rows = await conn.fetch(
        "select account_id from host_daily_usage where tenant = $1 and day = $2 and capped", tenant, day
    )
    return {r["account_id"] for r in rows}
