"""What every projection offers the live consumer and a rebuild.

A projection turns one event envelope into `changes`, `fold`s changes in memory (so a
rebuild writes a batch at a time) and `write`s a fold into one generation's table.
Each generation of a projection is a table `<name>_g<N>`; the `projections` table says which
generation is live and how far it has applied events: `positions`, the highest outbox
position applied per outbox (see shared/messaging/positions.py).
"""
from __future__ import annotations

from typing import Any, Iterable, Protocol

import asyncpg
import orjson


class Projection(Protocol):
    name: str

    def table(self, generation: int) -> str: ...

    def create_sql(self, generation: int) -> str: ...

    def changes(self, envelope: dict) -> Iterable[Any]: ...

    def fold(self, changes: Iterable[Any], into: dict) -> dict: ...

    async def write(self, conn: asyncpg.Connection, table: str, folded: dict) -> None: ...


def table_name(name: str, generation: int) -> str:
    return f"{name}_g{generation}"


async def ensure_registered(conn: asyncpg.Connection, projection: Projection) -> None:
    """First start: generation 1, empty, nothing applied (the `projections` table is migrated)."""
    created = await conn.fetchval(
        "insert into projections (name, generation, checkpoint) values ($1, 1, 0)"
        " on conflict do nothing returning true", projection.name)
    if created:
        await conn.execute(projection.create_sql(1))


async def save_position(conn: asyncpg.Connection, name: str, source: str, position: int) -> None:
    await conn.execute("update projections set positions = positions || jsonb_build_object($2::text, $3::bigint)"
                       " where name = $1", name, source, position)


async def make_live(conn: asyncpg.Connection, name: str, generation: int, positions: dict[str, int]) -> None:
    await conn.execute("update projections set generation = $2, positions = $3::jsonb where name = $1",
                       name, generation, orjson.dumps(positions).decode())
