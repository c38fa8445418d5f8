"""The thread a rebuild writes its folds on, beside the reader."""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from typing import Any, Coroutine, TypeVar

import asyncpg

from shared.db import connect_like
from shared.projections.base import Projection

T = TypeVar("T")


class FoldWriter:
    """Writes folds into the new generation one at a time, in the order they come, on a thread
    with an event loop and a connection of its own.

    A reader whose next fold is full while the last is still being written waits for it
    without awaiting: its event loop stands, so nats-py reads nothing more and the server's
    flow control holds the rest of the stream. Awaiting instead would let nats-py read on
    into memory for as long as PostgreSQL lags behind the reader."""

    def __init__(self, projection: Projection, table: str):
        self.projection, self.table = projection, table
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name=f"replay-writer-{projection.name}", daemon=True
        )
        self._conn: asyncpg.Connection | None = None
        self._in_order = asyncio.Lock()
        self._failure: BaseException | None = None
        self._last: concurrent.futures.Future[None] | None = None

    async def open(self, pool: asyncpg.Pool) -> None:
        self._thread.start()
        self._conn = await self._on_thread(connect_like(pool))

    def write(self, folded: dict[Any, Any]) -> None:
        self._last = asyncio.run_coroutine_threadsafe(self._write(folded), self._loop)

    async def _write(self, folded: dict[Any, Any]) -> None:
        async with self._in_order:
            if self._failure is None:
                try:
                    await self.projection.write(self._conn, self.table, folded)
                except BaseException as error:  # every later write fails with it, in order
                    self._failure = error
            if self._failure is not None:
                raise self._failure

    def busy(self) -> bool:
        return self._last is not None and not self._last.done()

    def wait(self, within: float) -> None:
        """Until every fold so far is written, holding up this thread and its event loop;
        TimeoutError after `within` seconds."""
        if self._last is not None:
            self._last.result(within)

    async def written(self) -> None:
        """Until every fold so far is written."""
        if self._last is not None:
            await asyncio.wrap_future(self._last)

    async def close(self) -> None:
        """Stops what is left to write (a rebuild that ends has written all it keeps)."""
        if self._thread.is_alive():
            await self._on_thread(self._shut_down())
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join()
        self._loop.close()

    async def _shut_down(self) -> None:
        left = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in left:
            task.cancel()
        await asyncio.gather(*left, return_exceptions=True)
        if self._conn is not None:
            await self._conn.close()

    async def _on_thread(self, work: Coroutine[Any, Any, T]) -> T:
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(work, self._loop))
