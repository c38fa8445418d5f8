from __future__ import annotations

import asyncpg

from shared.projections.base import Projection


async def apply_live(conn: asyncpg.Connection, projection: Projection, envelope: dict,
                     stream_sequence: int) -> bool:
    """Apply one event to the live generation unless its checkpoint is already past it.

    The row lock on `projections` orders this against a rebuild's swap.
    """
    generation, checkpoint = await conn.fetchrow(
        "select generation, checkpoint from projections where name = $1 for update", projection.name)
    if stream_sequence <= checkpoint:
        return False
    await projection.write(conn, projection.table(generation), projection.fold(projection.changes(envelope), {}))
    await conn.execute("update projections set checkpoint = $2 where name = $1",
                       projection.name, stream_sequence)
    return True
