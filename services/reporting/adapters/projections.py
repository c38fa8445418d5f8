from __future__ import annotations

from reporting.domain.usage import DEFAULT_ZONE, usage_deltas
from shared.projections import CounterProjection


def usage_projection(tenants: dict) -> CounterProjection:
    def zone_of(tenant: str) -> str:
        profile = tenants.get(tenant)
        return profile.time_zone if profile else DEFAULT_ZONE

    return CounterProjection(name="usage", key_columns=("tenant", "period_kind", "period", "metric"),
                             deltas=usage_deltas(zone_of))


def projections(tenants: dict) -> dict[str, CounterProjection]:
    """Every projection by the name `replay` takes."""
    usage = usage_projection(tenants)
    return {usage.name: usage}
