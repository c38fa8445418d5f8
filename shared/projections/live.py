from __future__ import annotations

import asyncpg

from shared.projections.counters import CounterProjection, total


async def apply_live(conn: asyncpg.Connection, projection: CounterProjection, envelope: dict,
                     stream_sequence: int) -> bool:
    """Apply one event to the live generation unless its checkpoint is already past it.

    The row lock on `projections` orders this against a rebuild's swap.
    """
    generation, checkpoint = await conn.fetchrow(
        "select generation, checkpoint from projections where name = $1 for update", projection.name)
    if stream_sequence <= checkpoint:
        return False
    await projection.add(conn, projection.table(generation), total(projection.deltas(envelope)))
    await conn.execute("update projections set checkpoint = $2 where name = $1",
                       projection.name, stream_sequence)
    return True
