from __future__ import annotations

import asyncpg

from shared.projections.counters import CounterProjection


async def figures(conn: asyncpg.Connection, projection: CounterProjection, tenant: str,
                  period_kind: str, period: str) -> dict[str, int]:
    generation = await conn.fetchval("select generation from projections where name = $1", projection.name)
    if generation is None:
        return {}
    rows = await conn.fetch(
        f"select metric, value from {projection.table(generation)}"
        " where tenant = $1 and period_kind = $2 and period = $3 order by metric",
        tenant, period_kind, period)
    return {row["metric"]: row["value"] for row in rows}
