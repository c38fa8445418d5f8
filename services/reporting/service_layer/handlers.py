"""Reporting's use cases: keep the projections live, rebuild one on demand."""

from __future__ import annotations

import asyncpg

from shared.messaging import Delivery, Selective
from shared.projections import Projection, apply_live, ensure_registered


def keep_live(projection: Projection):
    async def handle(conn: asyncpg.Connection, delivery: Delivery) -> None:
        await apply_live(conn, projection, delivery.envelope.model_dump(mode="json"), delivery.position)

    # the events a replay reads too; the others change nothing in the projection
    return Selective(handle, lambda event: projection.events is None or event.name in projection.events)


async def register_all(pool: asyncpg.Pool, projections: dict[str, Projection]) -> None:
    async with pool.acquire() as conn:
        for projection in projections.values():
            await ensure_registered(conn, projection)
