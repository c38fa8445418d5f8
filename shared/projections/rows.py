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

from shared.projections.base import table_name

Patch = tuple[tuple[str, ...], dict[str, Any]]
"""(key columns, fields to set)."""


@dataclass(frozen=True)
class RowProjection:
    name: str
    key_columns: tuple[str, ...]
    patches: Callable[[dict], Iterable[Patch]]
    """From one event envelope (a dict as published) to the fields it sets on which rows."""

    def table(self, generation: int) -> str:
        return table_name(self.name, generation)

    def create_sql(self, generation: int) -> str:
        keys = ", ".join(f"{column} text not null" for column in self.key_columns)
        return (f"create table {self.table(generation)} ({keys}, doc jsonb not null,"
                f" primary key ({', '.join(self.key_columns)}))")

    def changes(self, envelope: dict) -> Iterable[Patch]:
        return self.patches(envelope)

    def fold(self, changes: Iterable[Patch], into: dict) -> dict:
        for key, fields in changes:
            into.setdefault(key, {}).update(fields)
        return into

    def upsert_sql(self, table: str) -> str:
        columns = ", ".join(self.key_columns)
        arrays = ", ".join(f"${i}::text[]" for i in range(1, len(self.key_columns) + 1))
        return (f"insert into {table} as t ({columns}, doc)"
                f" select * from unnest({arrays}, ${len(self.key_columns) + 1}::jsonb[])"
                f" on conflict ({columns}) do update set doc = t.doc || excluded.doc")

    async def write(self, conn: asyncpg.Connection, table: str, folded: dict) -> None:
        if not folded:
            return
        keys = list(folded)
        columns = [[key[i] for key in keys] for i in range(len(self.key_columns))]
        docs = [orjson.dumps(folded[key]).decode() for key in keys]
        await conn.execute(self.upsert_sql(table), *columns, docs)

    async def rows(self, conn: asyncpg.Connection, generation: int, where: str = "true",
                   *args: Any) -> list[dict[str, Any]]:
        """Rows of `generation` as dicts of key columns and fields, `where` over the key columns or `doc`."""
        found = await conn.fetch(f"select * from {self.table(generation)} where {where}", *args)
        return [{**{c: row[c] for c in self.key_columns}, **orjson.loads(row["doc"])} for row in found]
