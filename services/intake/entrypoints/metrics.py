"""Intake's figures at `/metrics`: requests by their state, from the tracking read model."""

from __future__ import annotations

from prometheus_client.core import GaugeMetricFamily, Metric

BY_STATE = "select tenant, status, count(*) as requests from request_status group by tenant, status"


async def requests_by_state(runtime) -> list[Metric]:
    family = GaugeMetricFamily(
        "vidcon_requests", "Requests by tenant and their current state", labels=["tenant", "status"]
    )
    async with runtime.pool.acquire(timeout=2) as conn:
        for row in await conn.fetch(BY_STATE):
            family.add_metric([row["tenant"], row["status"]], row["requests"])
    return [family]
