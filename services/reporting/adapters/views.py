from __future__ import annotations

import asyncpg

from reporting.domain.evaluation import History
from shared.projections import CounterProjection, RowProjection


async def live_generation(conn: asyncpg.Connection, name: str) -> int | None:
    return await conn.fetchval("select generation from projections where name = $1", name)


async def figures(
    conn: asyncpg.Connection, projection: CounterProjection, tenant: str, period_kind: str, period: str
) -> dict[str, int]:
    generation = await live_generation(conn, projection.name)
    if generation is None:
        return {}
    rows = await conn.fetch(
        f"select metric, value from {projection.table(generation)}"
        " where tenant = $1 and period_kind = $2 and period = $3 order by metric",
        tenant,
        period_kind,
        period,
    )
    return {row["metric"]: row["value"] for row in rows}


async def rows_of(conn: asyncpg.Connection, projection: RowProjection, tenant: str) -> list[dict]:
    generation = await live_generation(conn, projection.name)
    return [] if generation is None else await projection.rows(conn, generation, "tenant = $1", tenant)


async def history(conn: asyncpg.Connection, projections: dict, tenant: str) -> History:
    """One tenant's rows, read in one repeatable snapshot so the figures agree with each other."""
    async with conn.transaction(isolation="repeatable_read", readonly=True):
        return History(
            *[
                await rows_of(conn, projections[name], tenant)
                for name in ("requests", "steps", "complaints", "findings", "surveys")
            ]
        )
