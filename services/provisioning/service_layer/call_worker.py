"""The loop that makes the outside calls: several at once, a tenant in at most half of the slots,
so that one tenant's slow provider delays only that tenant. Replicas each run one."""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from collections import Counter

import asyncpg
import structlog

from provisioning.adapters.provider_calls import CALL_ASKED
from provisioning.service_layer.context import Provisioning
from shared.db import listening
from provisioning.service_layer.outside_calls import claim_next, make_and_record

log = structlog.get_logger()
CONCURRENCY = 8
POLL_SECONDS = 0.5


class CallWorker:
    """Up to `concurrency` calls at once; one tenant holds at most half of them."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        ctx: Provisioning,
        name: str | None = None,
        concurrency: int = CONCURRENCY,
        poll_seconds: float = POLL_SECONDS,
    ):
        self.pool, self.ctx, self.concurrency, self.poll_seconds = pool, ctx, concurrency, poll_seconds
        self.name = name or f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self.share = max(1, concurrency // 2)
        self.running: dict[asyncio.Task, str] = {}
        self._wake = asyncio.Event()

    async def run(self) -> None:
        """Until cancelled; an error of the claim ends it (the supervisor starts it again), while
        the calls already made go on to record their results. A call asked for wakes it at once
        (NOTIFY, on a connection of its own); the poll is what remains if that connection is lost."""
        async with listening(self.pool, CALL_ASKED, self._woken):
            await self._serve()

    async def _serve(self) -> None:
        try:
            while True:
                self._wake.clear()  # before claiming: a call asked meanwhile ends the wait below at once
                await self.start_due()
                try:
                    await asyncio.wait_for(self._wake.wait(), self.poll_seconds)
                except TimeoutError:
                    pass
        except asyncio.CancelledError:
            for task in self.running:
                task.cancel()  # their leases run out; another worker makes those calls again
            raise

    async def start_due(self) -> int:
        started = 0
        while len(self.running) < self.concurrency:
            busy = [tenant for tenant, n in Counter(self.running.values()).items() if n >= self.share]
            prepared = await claim_next(self.pool, self.ctx, self.name, busy)
            if prepared is None:
                break
            task = asyncio.create_task(make_and_record(self.pool, self.ctx, prepared))
            self.running[task] = prepared.call.tenant
            task.add_done_callback(self._finished)
            started += 1
        return started

    def _woken(self, *_notification) -> None:
        self._wake.set()

    def _finished(self, task: asyncio.Task) -> None:
        self.running.pop(task, None)
        if not task.cancelled() and task.exception() is not None:
            log.warning("provisioning.provider_call_failed", error=repr(task.exception()))
        self._wake.set()
