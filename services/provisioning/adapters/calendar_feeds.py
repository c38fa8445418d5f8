"""Feed tokens and the meetings each feed shows (PostgreSQL)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import asyncpg

from provisioning.domain.calendar_feed import Booked, Scope
from provisioning.domain.meeting import Meeting
from shared.eventstore.aggregate import load

LOOK_BACK = timedelta(days=60)
LOOK_AHEAD = timedelta(days=400)


@dataclass(frozen=True)
class Feed:
    token: str
    tenant: str
    user_id: str
    scope: Scope
    agency: str | None


def _feed(row: asyncpg.Record | None) -> Feed | None:
    return row and Feed(row["token"], row["tenant"], row["user_id"], Scope(row["scope"]), row["agency"])


async def feed_of(conn: asyncpg.Connection, tenant: str, user_id: str, scope: Scope, agency: str | None) -> Feed:
    """The person's feed of that scope, made on first asking."""
    await conn.execute(
        "insert into calendar_feeds (token, tenant, user_id, scope, agency) values ($1, $2, $3, $4, $5)"
        " on conflict (tenant, user_id, scope) do nothing",
        secrets.token_urlsafe(24),
        tenant,
        user_id,
        scope.value,
        agency,
    )
    return _feed(
        await conn.fetchrow(
            "select * from calendar_feeds where tenant = $1 and user_id = $2 and scope = $3",
            tenant,
            user_id,
            scope.value,
        )
    )


async def renew(conn: asyncpg.Connection, tenant: str, user_id: str, scope: Scope) -> None:
    """A new secret address; the old one stops working at once."""
    await conn.execute(
        "update calendar_feeds set token = $4, created_at = now() where tenant = $1 and user_id = $2 and scope = $3",
        tenant,
        user_id,
        scope.value,
        secrets.token_urlsafe(24),
    )


async def feed_by_token(conn: asyncpg.Connection, tenant: str, token: str) -> Feed | None:
    return _feed(await conn.fetchrow("select * from calendar_feeds where tenant = $1 and token = $2", tenant, token))


async def booked_for(conn: asyncpg.Connection, feed: Feed, now: datetime) -> list[Booked]:
    """The approved requests the feed shows, from LOOK_BACK before now to LOOK_AHEAD after."""
    rows = await conn.fetch(
        "select request_id::text, event_name, starts_at, ends_at, venue, online_only from requests r"
        " where tenant = $1 and approved_at is not null and starts_at >= $2 and starts_at < $3"
        " and ($4 = 'all' or ($4 = 'agency' and agency = $5)"
        "      or ($4 = 'duties' and exists (select 1 from bookings b where b.tenant = r.tenant"
        "          and b.request_id = r.request_id and b.kind = 'operator' and b.resource_id = $6)))"
        " order by starts_at",
        feed.tenant,
        now - LOOK_BACK,
        now + LOOK_AHEAD,
        feed.scope.value,
        feed.agency,
        feed.user_id,
    )
    return [
        Booked(
            row["request_id"],
            row["event_name"],
            row["starts_at"],
            row["ends_at"],
            row["venue"],
            row["online_only"],
            await load(conn, Meeting, row["request_id"], feed.tenant),
        )
        for row in rows
    ]
