"""PostgreSQL access for one service: a pool bound to its schema, and its migrations."""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit, parse_qsl

import asyncpg

EVENT_STORE_MIGRATIONS = Path(__file__).parent / "eventstore" / "migrations"


async def create_pool(database_url: str, schema: str, **kwargs: Any) -> asyncpg.Pool:
    """A pool whose connections see only `schema` (its tables need no prefix)."""
    return await asyncpg.create_pool(
        database_url, server_settings={"search_path": schema}, **{"min_size": 1, "max_size": 10, **kwargs}
    )


async def connect_like(pool: asyncpg.Pool) -> asyncpg.Connection:
    """A connection of its own with the pool's settings (its schema too), for another event loop:
    a pool's connections belong to the loop that made them. asyncpg keeps the settings for
    `Pool.set_connect_args`, and has no public way to read them back."""
    return await asyncpg.connect(*pool._connect_args, **pool._connect_kwargs)


@contextlib.asynccontextmanager
async def listening(
    pool: asyncpg.Pool, channel: str, on_notify: Callable[..., None]
) -> AsyncIterator[asyncio.Future[None]]:
    """LISTEN on `channel` on a connection of its own (the pool's are for requests); yields a
    future that fails once that connection is lost, for a caller that must start again then."""
    lost: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def on_lost(_conn: asyncpg.Connection) -> None:
        if not lost.done():
            lost.set_exception(ConnectionError("lost"))

    conn = await connect_like(pool)
    try:
        conn.add_termination_listener(on_lost)
        await conn.add_listener(channel, on_notify)
        yield lost
    finally:
        conn.terminate()


def migrate(database_url: str, schema: str, *migration_dirs: Path) -> None:
    """Apply the event store's and the service's plain-SQL migrations with dbmate.

    The migrations run in `schema` (created if absent) and are tracked in its own
    `schema_migrations` table; `--migration-lock` lets replicas start together.
    """
    dirs = [EVENT_STORE_MIGRATIONS, *migration_dirs]
    command = [
        _dbmate(),
        "--url",
        _with_search_path(database_url, schema),
        "--no-dump-schema",
        "--migration-lock",
        *[arg for d in dirs for arg in ("-d", str(d))],
        "up",
    ]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"migrations for schema {schema} failed: {done.stderr or done.stdout}")


def _with_search_path(url: str, schema: str) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query)) | {"search_path": schema}
    if parts.hostname in ("127.0.0.1", "localhost"):
        query.setdefault("sslmode", "disable")
    return urlunsplit(parts._replace(query=urlencode(query)))


def _dbmate() -> str:
    beside_python = Path(sys.executable).parent / "dbmate"
    return str(beside_python) if beside_python.exists() else "dbmate"
