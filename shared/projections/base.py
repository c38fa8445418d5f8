"""What every projection offers the live consumer and a rebuild.

A projection turns one event envelope into `changes`, `fold`s changes in memory (so a
rebuild writes a batch at a time) and `write`s a fold into one generation's table.
Each generation of a projection is a table `<name>_g<N>`; the `projections` table says which
generation is live and how far it has applied events: `positions`, the highest outbox
position applied per outbox (see shared/messaging/positions.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Protocol

import asyncpg
import orjson

from shared.events.codec import SUBJECT_ROOT
from shared.projections.decoding import Fields


class Projection(Protocol):
    name: str
    events: frozenset[str] | None
    """The event names it reads, or None for every event: a replay skips the others by
    their subject, without parsing them."""
    reads: Fields | None
    """The envelope fields `changes` reads, or None for all: a replay decodes only those
    (shared/projections/decoding.py)."""

    def table(self, generation: int) -> str: ...

    def create_sql(self, generation: int) -> str: ...

    def changes(self, envelope: dict[str, Any]) -> Iterable[Any]: ...

    def fold(self, changes: Iterable[Any], into: dict[Any, Any]) -> dict[Any, Any]: ...

    async def write(self, conn: asyncpg.Connection, table: str, folded: dict[Any, Any]) -> None:
        """A replay calls this on a writer thread, with that thread's event loop and connection."""


def table_name(name: str, generation: int) -> str:
    return f"{name}_g{generation}"


def subject_tokens(events: frozenset[str] | None) -> frozenset[str] | None:
    """`request.submitted` -> `request_submitted`, the last token of its NATS subject."""
    return None if events is None else frozenset(name.replace(".", "_") for name in events)


def subject_filters(tokens: frozenset[str]) -> list[str]:
    """The subjects with these last tokens in every tenant and context: `vidcon.*.*.request_submitted`."""
    return [f"{SUBJECT_ROOT}.*.*.{token}" for token in sorted(tokens)]


@dataclass(frozen=True)
class KeyedTable:
    """A generation's table: text key columns and one value column that an upsert merges."""

    key_columns: tuple[str, ...]
    value: str
    value_type: str
    merge: str
    """SQL for the merged value, from `t.<value>` (stored) and `excluded.<value>` (new)."""

    def create_sql(self, table: str) -> str:
        keys = ", ".join(f"{column} text not null" for column in self.key_columns)
        return (
            f"create table {table} ({keys}, {self.value} {self.value_type} not null,"
            f" primary key ({', '.join(self.key_columns)}))"
        )

    def upsert_sql(self, table: str) -> str:
        columns = ", ".join(self.key_columns)
        keys = ", ".join(f"r->0->>{i}" for i in range(len(self.key_columns)))
        value = "r->1" if self.value_type == "jsonb" else f"(r->>1)::{self.value_type}"
        return (
            f"insert into {table} as t ({columns}, {self.value})"
            f" select {keys}, {value} from jsonb_array_elements($1::jsonb) r"
            f" on conflict ({columns}) do update set {self.value} = {self.merge}"
        )

    async def upsert(self, conn: asyncpg.Connection, table: str, folded: dict[tuple[Any, ...], Any]) -> None:
        """Every folded key in one statement: one JSON array of `[key columns, value]` that
        orjson encodes whole, with no Python work per key (a replay writes millions)."""
        if folded:
            await conn.execute(self.upsert_sql(table), orjson.dumps(list(folded.items())).decode())


async def ensure_registered(conn: asyncpg.Connection, projection: Projection) -> None:
    """First start: generation 1, empty, nothing applied (the `projections` table is migrated)."""
    created = await conn.fetchval(
        "insert into projections (name, generation, checkpoint) values ($1, 1, 0)"
        " on conflict do nothing returning true",
        projection.name,
    )
    if created:
        await conn.execute(projection.create_sql(1))


async def save_position(conn: asyncpg.Connection, name: str, source: str, position: int) -> None:
    await conn.execute(
        "update projections set positions = positions || jsonb_build_object($2::text, $3::bigint) where name = $1",
        name,
        source,
        position,
    )


async def make_live(conn: asyncpg.Connection, name: str, generation: int, positions: dict[str, int]) -> None:
    await conn.execute(
        "update projections set generation = $2, positions = $3::jsonb where name = $1",
        name,
        generation,
        orjson.dumps(positions).decode(),
    )
