"""The `profile_versions` table: each version of a tenant's profile, kept for the cases opened with it."""

from __future__ import annotations

import json

import asyncpg

from shared.tenants import TenantProfile


async def remember(conn: asyncpg.Connection, profile: TenantProfile) -> None:
    await conn.execute(
        "insert into profile_versions (tenant, version, body) values ($1, $2, $3::jsonb) on conflict do nothing",
        profile.id,
        profile.version(),
        json.dumps(profile.body()),
    )


async def kept(conn: asyncpg.Connection, tenant: str, version: str) -> asyncpg.Record | None:
    """The version's `body` (a dict) and `first_seen`, or None when it was never seen."""
    row = await conn.fetchrow(
        "select body, first_seen from profile_versions where tenant = $1 and version = $2", tenant, version
    )
    if row is None:
        return None
    body = row["body"]
    return {"body": json.loads(body) if isinstance(body, str) else body, "first_seen": row["first_seen"]}


async def pin_unversioned_cases(conn: asyncpg.Connection, profile: TenantProfile) -> int:
    """Cases opened before versions were kept follow the version the service starts with, from now on."""
    done = await conn.execute(
        "update cases set profile_version = $2 where tenant = $1 and profile_version is null",
        profile.id,
        profile.version(),
    )
    return int(done.split()[-1])
