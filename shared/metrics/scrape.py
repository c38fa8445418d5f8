"""Gauges read when Prometheus scrapes, through a custom collector.

The instrumentator serves `/metrics` from a worker thread; the readings need the service's
pool and NATS connection, which belong to the event loop, so the collector runs them there
(`anyio.from_thread`) and waits. A reading that fails or is slow leaves its series out of that
scrape, logged, and the rest are served.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Iterator
from typing import TYPE_CHECKING

import anyio.from_thread
import structlog
from prometheus_client.core import Metric
from prometheus_client.registry import Collector, CollectorRegistry

if TYPE_CHECKING:
    from shared.runtime import Runtime

log = structlog.get_logger()

Gauges = Callable[["Runtime"], Awaitable[Iterable[Metric]]]
"""Reads some metric families from the service's database or NATS."""
READING_TIMEOUT = 3.0


class ReadAtScrape(Collector):
    def __init__(self, runtime: Runtime, readings: list[Gauges]):
        self.runtime, self.readings = runtime, readings

    def register(self, registry: CollectorRegistry) -> None:
        registry.register(self)

    def describe(self) -> list[Metric]:
        return []  # names are only known once read; nothing is read at registration

    def collect(self) -> Iterator[Metric]:
        if self.runtime.pool is None:
            return iter(())  # not started yet
        try:
            return iter(anyio.from_thread.run(self._read_all))
        except RuntimeError as error:  # not called from a worker thread of the service's loop
            log.warning("metrics.unreadable", error=repr(error))
            return iter(())

    async def _read_all(self) -> list[Metric]:
        read = await asyncio.gather(*(self._read(reading) for reading in self.readings))
        return [family for families in read for family in families]

    async def _read(self, reading: Gauges) -> list[Metric]:
        try:
            return list(await asyncio.wait_for(reading(self.runtime), READING_TIMEOUT))
        except Exception as error:  # noqa: BLE001  one failed reading leaves only its series out
            log.warning("metrics.reading_failed", reading=reading.__name__, error=repr(error))
            return []
