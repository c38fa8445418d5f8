"""A projection that sums numbers per key: the shape of every usage report."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

import asyncpg

from shared.projections.base import table_name

Delta = tuple[tuple[str, ...], int]
"""(key columns, amount to add)."""


@dataclass(frozen=True)
class CounterProjection:
    name: str
    key_columns: tuple[str, ...]
    deltas: Callable[[dict], Iterable[Delta]]
    """From one event envelope (a dict as published) to the counts it adds."""

    def table(self, generation: int) -> str:
        return table_name(self.name, generation)

    def changes(self, envelope: dict) -> Iterable[Delta]:
        return self.deltas(envelope)

    def fold(self, changes: Iterable[Delta], into: dict) -> dict:
        return total(changes, into)

    async def write(self, conn: asyncpg.Connection, table: str, folded: dict) -> None:
        await self.add(conn, table, folded)

    def create_sql(self, generation: int) -> str:
        keys = ", ".join(f"{column} text not null" for column in self.key_columns)
        return (f"create table {self.table(generation)} ({keys}, value bigint not null,"
                f" primary key ({', '.join(self.key_columns)}))")

    def upsert_sql(self, table: str) -> str:
        columns = ", ".join(self.key_columns)
        arrays = ", ".join(f"${i}::text[]" for i in range(1, len(self.key_columns) + 1))
        return (f"insert into {table} as t ({columns}, value)"
                f" select * from unnest({arrays}, ${len(self.key_columns) + 1}::bigint[])"
                f" on conflict ({columns}) do update set value = t.value + excluded.value")

    async def add(self, conn: asyncpg.Connection, table: str, totals: dict[tuple, int]) -> None:
        if not totals:
            return
        keys = list(totals)
        columns = [[key[i] for key in keys] for i in range(len(self.key_columns))]
        await conn.execute(self.upsert_sql(table), *columns, [totals[key] for key in keys])


def total(deltas: Iterable[Delta], into: dict[tuple, int] | None = None) -> dict[tuple, int]:
    into = {} if into is None else into
    for key, amount in deltas:
        into[key] = into.get(key, 0) + amount
    return into
