"""A rebuild's locking and its swap: one rebuild per projection, a new generation beside the
live one, and the moment it becomes live."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import asyncpg
import structlog

from shared.projections.base import Projection, ensure_registered, make_live
from shared.projections.rebuild_limits import Limits, RebuildInProgress, SwapTimedOut
from shared.projections.rebuild_reader import HistoryReader

log = structlog.get_logger()

_LOCK_KEY = "hashtext('vidcon-rebuild:' || coalesce(current_schema(), '') || ':' || $1)"


async def lock(conn: asyncpg.Connection, name: str) -> None:
    """Held on the rebuild's own connection: two rebuilds would both swap, one dropping the
    table the other made live."""
    if not await conn.fetchval(f"select pg_try_advisory_lock({_LOCK_KEY})", name):
        raise RebuildInProgress(f"projection {name!r} is being rebuilt already; try again when that finishes")


async def unlock(conn: asyncpg.Connection, name: str) -> None:
    await conn.execute(f"select pg_advisory_unlock({_LOCK_KEY})", name)


async def new_generation(conn: asyncpg.Connection, projection: Projection) -> int:
    await ensure_registered(conn, projection)
    generation = int(await conn.fetchval("select generation from projections where name = $1", projection.name)) + 1
    await conn.execute(f"drop table if exists {projection.table(generation)}")
    await conn.execute(projection.create_sql(generation))
    return generation


async def swap(
    pool: asyncpg.Pool, reader: HistoryReader, generation: int, limits: Limits, catch_up: Callable[[], Awaitable[None]]
) -> None:
    for attempt in range(1, limits.swap_attempts + 1):
        try:
            return await _swap_once(pool, reader, generation, limits)
        except (asyncpg.LockNotAvailableError, _ReaderBehind) as error:
            log.warning("replay.swap_retrying", projection=reader.projection.name, attempt=attempt, error=repr(error))
            await catch_up()
    raise SwapTimedOut(
        f"projection {reader.projection.name!r}: generation {generation} was not swapped in after"
        f" {limits.swap_attempts} attempts (the live consumer held its row lock over"
        f" {limits.lock_timeout:g}s, or the reader was more than {limits.reader_wait:g}s behind);"
        " the old generation stays live"
    )


class _ReaderBehind(Exception):
    pass


async def _swap_once(pool: asyncpg.Pool, reader: HistoryReader, generation: int, limits: Limits) -> None:
    projection = reader.projection
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("select set_config('lock_timeout', $1, true)", f"{int(limits.lock_timeout * 1000)}ms")
        old = await conn.fetchval("select generation from projections where name = $1 for update", projection.name)
        if not await reader.reached(await reader.end(), limits.reader_wait):
            raise _ReaderBehind(f"reader at {reader.sequence}")
        await reader.stop_reading()
        await make_live(conn, projection.name, generation, await reader.flush(conn))
        await conn.execute(f"drop table {projection.table(old)}")
