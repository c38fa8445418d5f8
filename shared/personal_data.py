"""Personal data (UU 27/2022): every read, change and erasure leaves an audit row."""

from __future__ import annotations

from typing import Any, Literal

import asyncpg

ERASED = "[dihapus]"
Action = Literal["read", "change", "erase"]


async def record_access(
    conn: asyncpg.Connection, *, tenant: str, actor: str, action: Action, subject_refs: list[str], purpose: str
) -> None:
    await conn.executemany(
        "insert into personal_data_audit (tenant, actor, action, subject_ref, purpose) values ($1, $2, $3, $4, $5)",
        [(tenant, actor, action, str(ref), purpose) for ref in subject_refs],
    )


async def audit_trail(conn: asyncpg.Connection, tenant: str, subject_ref: str) -> list[dict[str, Any]]:
    rows = await conn.fetch(
        "select at, actor, action, purpose from personal_data_audit where tenant = $1 and subject_ref = $2 order by id",
        tenant,
        subject_ref,
    )
    return [dict(row) for row in rows]
