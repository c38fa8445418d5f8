"""A projection that sums numbers per key: the shape of every usage report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable

import asyncpg

from shared.projections.base import KeyedTable, table_name
from shared.projections.decoding import Fields

Delta = tuple[tuple[str, ...], int]
"""(key columns, amount to add)."""


@dataclass(frozen=True)
class CounterProjection:
    name: str
    key_columns: tuple[str, ...]
    deltas: Callable[[dict[str, Any]], Iterable[Delta]]
    """From one event envelope (a dict as published) to the counts it adds."""
    events: frozenset[str] | None = None
    """The event names it reads (None: every event)."""
    reads: Fields | None = None
    """The envelope fields it reads (None: all of them)."""
    roll_up: Callable[[tuple[str, ...]], Iterable[tuple[str, ...]]] | None = None
    """The keys a folded key also counts under (a month's quarter and year), added on writing."""

    def table(self, generation: int) -> str:
        return table_name(self.name, generation)

    @property
    def changes(self) -> Callable[[dict[str, Any]], Iterable[Delta]]:
        """Its deltas themselves, not a method that calls them: one call less per event of a replay."""
        return self.deltas

    def fold(self, changes: Iterable[Delta], into: dict[tuple[Any, ...], int]) -> dict[tuple[Any, ...], int]:
        return total(changes, into)

    def rolled_up(self, folded: dict[tuple[Any, ...], int]) -> dict[tuple[Any, ...], int]:
        """The totals as they are written: each folded key also under the keys it rolls up to."""
        if self.roll_up is None:
            return folded
        return total((rolled, amount) for key, amount in folded.items() for rolled in self.roll_up(key))

    async def write(self, conn: asyncpg.Connection, table: str, folded: dict[tuple[Any, ...], int]) -> None:
        await self.shape.upsert(conn, table, self.rolled_up(folded))

    @property
    def shape(self) -> KeyedTable:
        return KeyedTable(self.key_columns, "value", "bigint", "t.value + excluded.value")

    def create_sql(self, generation: int) -> str:
        return self.shape.create_sql(self.table(generation))


def total(deltas: Iterable[Delta], into: dict[tuple[Any, ...], int] | None = None) -> dict[tuple[Any, ...], int]:
    into = {} if into is None else into
    for key, amount in deltas:
        into[key] = into.get(key, 0) + amount
    return into
