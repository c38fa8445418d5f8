"""Reporting's figures at `/metrics`: finished SOP steps, and those that went past their
service-time standard, from the live `steps` projection."""

from __future__ import annotations

from prometheus_client.core import GaugeMetricFamily, Metric

from reporting.adapters.projections import steps_projection
from reporting.adapters.views import live_generation

BY_STEP = (
    "select tenant, step, count(*) as finished, count(*) filter (where doc->'met' = 'false') as late"
    " from {table} group by tenant, step"
)


async def steps_past_standard(runtime) -> list[Metric]:
    finished = GaugeMetricFamily(
        "vidcon_steps_finished", "SOP steps finished, by tenant and step", labels=["tenant", "step"]
    )
    late = GaugeMetricFamily(
        "vidcon_steps_past_standard",
        "SOP steps finished after their service-time standard, by tenant and step",
        labels=["tenant", "step"],
    )
    projection = steps_projection()
    async with runtime.pool.acquire(timeout=2) as conn:
        generation = await live_generation(conn, projection.name)
        rows = [] if generation is None else await conn.fetch(BY_STEP.format(table=projection.table(generation)))
    for row in rows:
        finished.add_metric([row["tenant"], row["step"]], row["finished"])
        late.add_metric([row["tenant"], row["step"]], row["late"])
    return [finished, late]
