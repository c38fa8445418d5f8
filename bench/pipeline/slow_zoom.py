"""How long after its approval each tenant's meeting link is made by one replica's call worker,
with every Zoom quick, then with the slow tenant's hosts answering `latency` seconds late."""

from __future__ import annotations

import asyncio
import statistics
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bench.pipeline.throughput import ACCOUNTS_PER_TENANT, fresh_schema
from fakes.zoom_inprocess import fake_zoom
from provisioning.bootstrap import SPEC, provisioning_context
from provisioning.service_layer.call_worker import CallWorker
from shared.config import Settings
from shared.db import create_pool
from shared.messaging import apply_once
from shared.runtime import Runtime
from tests.integration.provisioning_support import approved, submitted
from tests.integration.test_provisioning_scheduling import delivered

SLOW, QUICK = "gorontalo", "kaltara"


@dataclass
class Delays:
    """Seconds from approval to the meeting made, per tenant."""

    phase: str
    seconds: dict[str, list[float]]

    def p50(self, tenant: str) -> float:
        return statistics.median(self.seconds[tenant])

    def worst(self, tenant: str) -> float:
        return max(self.seconds[tenant])


async def approve_all(pool, consumer, requests: int) -> None:
    """`requests` per tenant, taken turn about; each on its own slot of the calendar."""
    sequence, first = 0, datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    for n in range(requests):
        for tenant in (SLOW, QUICK):
            request_id, starts = str(uuid.uuid4()), first + timedelta(hours=3 * n)
            for event in (submitted(request_id, starts), approved(request_id, datetime.now(UTC))):
                sequence += 1
                await apply_once(pool, consumer, delivered(tenant, event), sequence)


async def wait_all_made(pool, timeout: float) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while await pool.fetchval("select count(*) from provider_calls where state = 'pending'"):
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError("Zoom calls still pending")
        await asyncio.sleep(0.05)


async def one_phase(database_url: str, phase: str, requests: int, latency: float) -> Delays:
    schema = await fresh_schema(database_url)
    async with fake_zoom() as (url, app):
        for n in range(1, ACCOUNTS_PER_TENANT + 1):
            app.state.fake.latency[f"pro-{n}@{SLOW}.test"] = latency
        runtime = Runtime(SPEC, Settings(database_url=database_url, zoom_api_url=url))
        runtime.pool = pool = await create_pool(database_url, schema)
        ctx = provisioning_context(runtime)
        [consumer] = SPEC.consumers(runtime)
        worker = asyncio.create_task(CallWorker(pool, ctx, "bench-worker", poll_seconds=0.05).run())
        try:
            await approve_all(pool, consumer, requests)
            await wait_all_made(pool, timeout=60 + 8 * latency * requests)
        finally:
            worker.cancel()
            await asyncio.gather(worker, return_exceptions=True)
            await ctx.providers["zoom"].close()
        rows = await pool.fetch(
            "select tenant, extract(epoch from done_at - created_at)::float8 as seconds"
            " from provider_calls where kind = 'ensure' and outcome is not null"
        )
        await pool.close()
    return Delays(phase, {tenant: [r["seconds"] for r in rows if r["tenant"] == tenant] for tenant in (SLOW, QUICK)})


async def measure_slow_zoom(database_url: str, requests: int, latency: float) -> list[Delays]:
    return [
        await one_phase(database_url, "every Zoom quick", requests, 0.0),
        await one_phase(database_url, f"{SLOW}'s Zoom {latency:g} s late", requests, latency),
    ]
