"""Long-running loops that nothing may end silently: capped backoff and a supervisor.

A service's relay and background loops run for the life of the process. A loop that ends
(an exception it did not catch, a return, a cancellation it did not ask for) is logged and
started again; only `stop()` ends it for good.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, Callable, Coroutine

import structlog

log = structlog.get_logger()


class Backoff:
    """Delays that double from `first` up to `cap`, and start at `first` again after `reset()`."""

    def __init__(self, first: float = 0.2, cap: float = 5.0):
        self.first, self.cap = first, cap
        self._next = first

    def next(self) -> float:
        delay, self._next = self._next, min(self._next * 2, self.cap)
        return delay

    def reset(self) -> None:
        self._next = self.first

    def after(self, failures: int) -> float:
        """The delay after `failures` failures in a row, for callers that keep the count themselves."""
        return min(self.first * 2.0 ** max(failures - 1, 0), self.cap)


class Supervised:
    """Runs `start()` in a task of its own and starts it again whenever it ends by itself."""

    def __init__(self, name: str, start: Callable[[], Coroutine[Any, Any, None]], backoff: Backoff | None = None):
        self.name, self._start = name, start
        self.backoff = backoff or Backoff(first=1.0, cap=30.0)
        self.restarts = 0
        self._loop: asyncio.Task[Any] | None = None
        self._supervisor: asyncio.Task[Any] | None = None

    @property
    def running(self) -> bool:
        return self._loop is not None and not self._loop.done()

    def start(self) -> None:
        self._supervisor = asyncio.create_task(self._supervise(), name=f"supervise:{self.name}")

    async def stop(self) -> None:
        if self._supervisor is not None:
            self._supervisor.cancel()
            await asyncio.gather(self._supervisor, return_exceptions=True)

    async def _supervise(self) -> None:
        while True:
            started = time.monotonic()
            outcome = await self._run_once()
            if time.monotonic() - started > self.backoff.cap:
                self.backoff.reset()
            delay = self.backoff.next()
            log.error("task.ended", task=self.name, outcome=outcome, restart_in_seconds=delay)
            await asyncio.sleep(delay)
            self.restarts += 1

    async def _run_once(self) -> str:
        self._loop = asyncio.create_task(self._start(), name=self.name)
        try:
            # wait(), not await: a cancellation of the loop alone must not look like stop()
            await asyncio.wait({self._loop})
        except asyncio.CancelledError:
            self._loop.cancel()
            await asyncio.gather(self._loop, return_exceptions=True)
            raise
        return _outcome(self._loop)


def _outcome(task: asyncio.Task[Any]) -> str:
    if task.cancelled():
        return "cancelled"
    error = task.exception()
    return repr(error) if error else "returned"
