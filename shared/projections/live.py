from __future__ import annotations

from typing import Any
import asyncpg

from shared.messaging.positions import Position
from shared.projections.base import Projection, save_position


async def apply_live(
    conn: asyncpg.Connection, projection: Projection, envelope: dict[str, Any], position: Position
) -> bool:
    """Apply one event to the live generation unless its outbox's checkpoint is already past it.

    The row lock on `projections` orders this against a rebuild's swap.
    """
    source, at = position
    generation, reached = await conn.fetchrow(
        "select generation, coalesce((positions ->> $2)::bigint, 0) from projections where name = $1 for update",
        projection.name,
        source,
    )
    if at <= reached:
        return False
    await projection.write(conn, projection.table(generation), projection.fold(projection.changes(envelope), {}))
    await save_position(conn, projection.name, source, at)
    return True
