"""How far the outbox is settled: the position at or below which no event can still appear.

Appends run concurrently, so a position can be committed after a higher one (a slower
transaction). A reader that went past the gap would skip that event for good. So readers by
position read only up to a settled position, found with transaction ids:

- an append takes its transaction id before its positions (`store.APPEND` joins its rows
  with `pg_current_xact_id()`);
- a mark (`settling_mark()`) reads the last position handed out, then takes a transaction id
  of its own; every transaction that holds a position up to the mark's is older than it;
- once no transaction older than the mark is still writing to this schema's `events`
  (`settling_mark_passed()`: each writer holds a RowExclusiveLock on it, from before its
  transaction id and its positions), those have all ended: the mark's position is settled,
  and what they committed is visible.

The price: an append that stays open holds this outbox's readers back until it ends; nothing
is skipped, appends go on. Transactions that write elsewhere (another table, another
service's schema) hold nobody back.
"""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg

MARK = "select last_position, mark_xid from settling_mark()"
PASSED = "select settling_mark_passed($1)"


@dataclass(frozen=True)
class Mark:
    position: int
    xid: int


async def take_mark(conn: asyncpg.Connection) -> Mark:
    row = await conn.fetchrow(MARK)
    return Mark(row["last_position"], row["mark_xid"])


async def has_passed(conn: asyncpg.Connection, mark: Mark) -> bool:
    """Whether every transaction older than `mark` that writes to `events` has ended."""
    return bool(await conn.fetchval(PASSED, mark.xid))


class Settled:
    """One reader's settled position, kept across its reads: a mark that has not passed yet
    is checked again on the next read instead of being taken anew, so it can pass under a
    steady stream of appends."""

    def __init__(self, position: int = 0):
        self.position = position
        self._mark: Mark | None = None

    @property
    def waiting(self) -> bool:
        """Whether a mark is still waiting for older transactions (more may be settled soon)."""
        return self._mark is not None

    async def advance(self, conn: asyncpg.Connection) -> int:
        """The settled position now; on a connection outside any transaction (a mark's id must
        be its own, taken after the position it read)."""
        if conn.is_in_transaction():
            raise RuntimeError("the settled position is read outside a transaction")
        await self._adopt_if_passed(conn)
        if self._mark is None:
            self._mark = await take_mark(conn)
            await self._adopt_if_passed(conn)
        return self.position

    async def _adopt_if_passed(self, conn: asyncpg.Connection) -> None:
        if self._mark is not None and await has_passed(conn, self._mark):
            self.position = max(self.position, self._mark.position)
            self._mark = None
