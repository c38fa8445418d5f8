"""The tenant's resources in PostgreSQL: host accounts, operators and leave, kits, venues, settings."""

from __future__ import annotations

from datetime import date, timedelta

import asyncpg
from asyncpg.types import Range

from provisioning.domain.resources import SEATS_BY_LICENSE, Buffers, Kit, Operator
from provisioning.domain.streaming import LiveStream

LISTS = {
    "accounts": "select account_id, provider, host_user, license, concurrent_meetings, daily_cap, active"
    " from host_accounts where tenant = $1 order by account_id",
    "operators": "select user_id, working_days, zoom_email, active from operators where tenant = $1 order by user_id",
    "kits": "select kit_id, name, items, active from equipment_kits where tenant = $1 order by kit_id",
    "venues": "select venue_id, name, active from venues where tenant = $1 order by venue_id",
}


async def listed(conn: asyncpg.Connection, tenant: str, kind: str) -> list[dict]:
    return [dict(row) for row in await conn.fetch(LISTS[kind], tenant)]


async def put_account(
    conn,
    tenant: str,
    account_id: str,
    provider: str,
    host_user: str,
    license: str = "pro",
    daily_cap: int = 100,
    active: bool = True,
) -> None:
    await conn.execute(
        "insert into host_accounts (tenant, account_id, provider, host_user, license, concurrent_meetings,"
        " daily_cap, active) values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict (tenant, account_id) do update"
        " set provider = $3, host_user = $4, license = $5, concurrent_meetings = $6, daily_cap = $7, active = $8",
        tenant,
        account_id,
        provider,
        host_user,
        license,
        SEATS_BY_LICENSE[license],
        daily_cap,
        active,
    )


async def put_operator(
    conn,
    tenant: str,
    user_id: str,
    working_days: list[int] | None = None,
    active: bool = True,
    zoom_email: str | None = None,
) -> None:
    await conn.execute(
        "insert into operators (tenant, user_id, working_days, active, zoom_email) values ($1, $2, $3, $4, $5)"
        " on conflict (tenant, user_id) do update set working_days = $3, active = $4, zoom_email = $5",
        tenant,
        user_id,
        working_days or [1, 2, 3, 4, 5],
        active,
        zoom_email,
    )


async def zoom_emails(conn, tenant: str, user_ids: list[str]) -> list[str | None]:
    """The operators' Zoom sign-ins in the order given (None for one without)."""
    rows = await conn.fetch(
        "select user_id, zoom_email from operators where tenant = $1 and user_id = any($2)", tenant, user_ids
    )
    found = {r["user_id"]: r["zoom_email"] for r in rows}
    return [found.get(user_id) for user_id in user_ids]


async def add_leave(conn, tenant: str, user_id: str, first: date, last: date) -> None:
    await conn.execute(
        "insert into operator_leave (tenant, user_id, during) values ($1, $2, $3)",
        tenant,
        user_id,
        Range(first, last, upper_inc=True),
    )


async def leave_by_operator(conn, tenant: str) -> dict[str, list[tuple[date, date]]]:
    """Each operator's leave, first and last day, soonest first."""
    rows = await conn.fetch(
        "select user_id, lower(during) as first, upper(during) - 1 as last from operator_leave"
        " where tenant = $1 order by user_id, lower(during)",
        tenant,
    )
    found: dict[str, list[tuple[date, date]]] = {}
    for row in rows:
        found.setdefault(row["user_id"], []).append((row["first"], row["last"]))
    return found


async def put_kit(conn, tenant: str, kit_id: str, name: str, items: list[str], active: bool = True) -> None:
    await conn.execute(
        "insert into equipment_kits (tenant, kit_id, name, items, active) values ($1, $2, $3, $4, $5)"
        " on conflict (tenant, kit_id) do update set name = $3, items = $4, active = $5",
        tenant,
        kit_id,
        name,
        items,
        active,
    )


async def put_venue(conn, tenant: str, venue_id: str, name: str, active: bool = True) -> None:
    await conn.execute(
        "insert into venues (tenant, venue_id, name, active) values ($1, $2, $3, $4)"
        " on conflict (tenant, venue_id) do update set name = $3, active = $4",
        tenant,
        venue_id,
        name,
        active,
    )


async def put_settings(
    conn,
    tenant: str,
    setup_minutes: int = 30,
    overrun_minutes: int = 30,
    recording_retention_days: int = 30,
    stream_url: str | None = None,
    stream_key: str | None = None,
    stream_page_url: str | None = None,
    early_start_minutes: int = 15,
) -> None:
    """A stream key left out keeps the stored one; no stream URL switches streaming off (key dropped)."""
    await conn.execute("insert into provisioning_settings (tenant) values ($1) on conflict do nothing", tenant)
    await conn.execute(
        "update provisioning_settings set setup_minutes = $2, overrun_minutes = $3, recording_retention_days = $4,"
        " stream_url = $5::text, stream_page_url = $7, early_start_minutes = $8,"
        " stream_key = case when $5::text is null then null else coalesce($6::text, stream_key) end"
        " where tenant = $1",
        tenant,
        setup_minutes,
        overrun_minutes,
        recording_retention_days,
        stream_url,
        stream_key,
        stream_page_url,
        early_start_minutes,
    )


async def settings_of(conn, tenant: str) -> tuple[Buffers, int]:
    row = await conn.fetchrow("select * from provisioning_settings where tenant = $1", tenant)
    if row is None:
        return Buffers(), 30
    return Buffers(row["setup_minutes"], row["overrun_minutes"]), row["recording_retention_days"]


async def shown_settings(conn, tenant: str) -> dict:
    """The settings as the API shows them: whether a stream key is stored, never the key."""
    row = await conn.fetchrow(
        "select setup_minutes, overrun_minutes, recording_retention_days, early_start_minutes, stream_url,"
        " stream_page_url,"
        " stream_key is not null as stream_key_set from provisioning_settings where tenant = $1",
        tenant,
    )
    defaults = {
        "setup_minutes": 30,
        "overrun_minutes": 30,
        "recording_retention_days": 30,
        "early_start_minutes": 15,
        "stream_url": None,
        "stream_page_url": None,
        "stream_key_set": False,
    }
    return dict(row) if row else defaults


async def early_start_of(conn, tenant: str) -> timedelta:
    """How long before the scheduled start an operator may record it."""
    minutes = await conn.fetchval("select early_start_minutes from provisioning_settings where tenant = $1", tenant)
    return timedelta(minutes=15 if minutes is None else minutes)


async def live_stream_of(conn, tenant: str) -> LiveStream | None:
    row = await conn.fetchrow(
        "select stream_url, stream_key, stream_page_url from provisioning_settings"
        " where tenant = $1 and stream_url is not null",
        tenant,
    )
    return LiveStream(row["stream_url"], row["stream_key"], row["stream_page_url"]) if row else None


async def operator(conn, tenant: str, user_id: str) -> Operator | None:
    row = await conn.fetchrow(
        "select working_days from operators where tenant = $1 and user_id = $2 and active", tenant, user_id
    )
    if row is None:
        return None
    leave = await conn.fetch(
        "select lower(during) as first, upper(during) - 1 as last from operator_leave"
        " where tenant = $1 and user_id = $2",
        tenant,
        user_id,
    )
    return Operator(user_id, frozenset(row["working_days"]), tuple((r["first"], r["last"]) for r in leave))


async def kit(conn, tenant: str, kit_id: str) -> Kit | None:
    row = await conn.fetchrow(
        "select kit_id, name, items from equipment_kits where tenant = $1 and kit_id = $2 and active", tenant, kit_id
    )
    return Kit(row["kit_id"], row["name"], tuple(row["items"])) if row else None


async def venue_exists(conn, tenant: str, venue_id: str) -> bool:
    return bool(
        await conn.fetchval("select 1 from venues where tenant = $1 and venue_id = $2 and active", tenant, venue_id)
    )


async def seed(conn, tenant: str, data: dict) -> None:
    """Load one tenant's resources from the seed file's section (the embedded run)."""
    await put_settings(conn, tenant, **data.get("settings", {}))
    for account in data.get("accounts", []):
        await put_account(conn, tenant, **account)
    for person in data.get("operators", []):
        await put_operator(conn, tenant, **person)
    for item in data.get("kits", []):
        await put_kit(conn, tenant, **item)
    for place in data.get("venues", []):
        await put_venue(conn, tenant, **place)
