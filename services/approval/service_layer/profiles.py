"""The profile a case follows: the version it was opened with, kept however the tenant's YAML changes since."""

from __future__ import annotations

import asyncpg

from approval.adapters import profile_versions
from shared.tenants import TenantProfile

_parsed: dict[tuple[str, str], TenantProfile] = {}  # a version is its content: it never changes once read


async def opened_with(conn: asyncpg.Connection, current: TenantProfile, version: str | None) -> TenantProfile:
    """The case's version of the profile; the current one when it is that, or the case predates versions."""
    if version is None or version == current.version():
        return current
    if (current.id, version) not in _parsed:
        kept = await profile_versions.kept(conn, current.id, version)
        if kept is None:
            raise LookupError(f"profile version {version} of {current.id} is not kept")
        _parsed[current.id, version] = TenantProfile.model_validate(kept["body"])
    return _parsed[current.id, version]


async def keep_current(conn: asyncpg.Connection, tenants: dict[str, TenantProfile]) -> None:
    """At start-up: every tenant's current version kept, and the cases opened before versions pinned to it."""
    for profile in tenants.values():
        await profile_versions.remember(conn, profile)
        await profile_versions.pin_unversioned_cases(conn, profile)


async def version_shown(conn: asyncpg.Connection, current: TenantProfile, row: asyncpg.Record) -> dict:
    """What the case page says of the version the case follows."""
    version = row["profile_version"] or current.version()
    kept = await profile_versions.kept(conn, current.id, version)
    return {
        "version": version,
        "first_seen": kept["first_seen"] if kept else None,
        "current": version == current.version(),
        "current_version": current.version(),
    }
