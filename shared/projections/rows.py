"""A projection that keeps one row per thing (a request, a step of a request, a complaint).

Each event yields patches `(key, {field: value})`; a row is the merge of its patches in
stream order, kept as JSONB so a new field needs no migration. Values must be JSON
(str, int, float, bool, None): times as ISO 8601 strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable

import asyncpg
import orjson

from shared.projections.base import KeyedTable, table_name
from shared.projections.decoding import Fields

Patch = tuple[tuple[str, ...], dict[str, Any]]
"""(key columns, fields to set)."""


@dataclass(frozen=True)
class RowProjection:
    name: str
    key_columns: tuple[str, ...]
    patches: Callable[[dict[str, Any]], Iterable[Patch]]
    """From one event envelope (a dict as published) to the fields it sets on which rows."""
    events: frozenset[str] | None = None
    """The event names it reads (None: every event)."""
    reads: Fields | None = None
    """The envelope fields it reads (None: all of them)."""

    def table(self, generation: int) -> str:
        return table_name(self.name, generation)

    @property
    def shape(self) -> KeyedTable:
        return KeyedTable(self.key_columns, "doc", "jsonb", "t.doc || excluded.doc")

    def create_sql(self, generation: int) -> str:
        return self.shape.create_sql(self.table(generation))

    @property
    def changes(self) -> Callable[[dict[str, Any]], Iterable[Patch]]:
        """Its patches themselves, not a method that calls them: one call less per event of a replay."""
        return self.patches

    def fold(self, changes: Iterable[Patch], into: dict[tuple[Any, ...], Any]) -> dict[tuple[Any, ...], Any]:
        for key, fields in changes:
            row = into.get(key)
            if row is None:
                into[key] = fields.copy()
            else:
                row.update(fields)
        return into

    async def write(self, conn: asyncpg.Connection, table: str, folded: dict[tuple[Any, ...], Any]) -> None:
        await self.shape.upsert(conn, table, folded)

    async def rows(
        self, conn: asyncpg.Connection, generation: int, where: str = "true", *args: Any
    ) -> list[dict[str, Any]]:
        """Rows of `generation` as dicts of key columns and fields, `where` over the key columns or `doc`."""
        found = await conn.fetch(f"select * from {self.table(generation)} where {where}", *args)
        return [{**{c: row[c] for c in self.key_columns}, **orjson.loads(row["doc"])} for row in found]
