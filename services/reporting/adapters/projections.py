from __future__ import annotations

from typing import Callable, Iterable

from reporting.domain.complaints import COMPLAINT_EVENTS, complaint_facts
from reporting.domain.findings import FINDING_EVENTS, finding_facts
from reporting.domain.register import FACTS
from reporting.domain.steps import STEP_DATA, TIMED, step_facts
from reporting.domain.surveys import SURVEY_EVENTS, survey_facts
from reporting.domain.usage import DEFAULT_ZONE, METRIC_AND_MOMENT, fields_read, roll_up, usage_deltas
from shared.events.base import type_info, upcast
from shared.projections import CounterProjection, Patch, Projection, RowProjection


def usage_projection(tenants: dict) -> CounterProjection:
    def zone_of(tenant: str) -> str:
        profile = tenants.get(tenant)
        return profile.time_zone if profile else DEFAULT_ZONE

    return CounterProjection(
        name="usage",
        key_columns=("tenant", "period_kind", "period", "metric"),
        deltas=usage_deltas(zone_of),
        events=frozenset(METRIC_AND_MOMENT),
        reads=fields_read(),
        roll_up=roll_up,
    )


def _reading(patches: Callable[[str, dict, dict], Iterable[Patch]]) -> Callable[[dict], Iterable[Patch]]:
    """Ask `patches` with the event's name and its data as the newest version has it (what
    `current_data` gives, without its call: a replay reads millions of events)."""

    def read(envelope: dict) -> Iterable[Patch]:
        name, version, newest = type_info(envelope["type"])
        return patches(name, envelope["data"] if newest else upcast(name, version, envelope["data"])[1], envelope)

    return read


def register_projection() -> RowProjection:
    def patches(name: str, data: dict, envelope: dict) -> Iterable[Patch]:
        facts = FACTS.get(name)
        return [((envelope["tenant"], data["request_id"]), facts(data, envelope))] if facts else []

    return RowProjection("requests", ("tenant", "request_id"), _reading(patches), frozenset(FACTS))


def steps_projection() -> RowProjection:
    def patches(name: str, data: dict, envelope: dict) -> Iterable[Patch]:
        found = step_facts(name, data)
        return [((envelope["tenant"], data["request_id"], found[0]), found[1])] if found else []

    reads = {"type": None, "tenant": None, "data": {"request_id": None, **STEP_DATA}}
    return RowProjection("steps", ("tenant", "request_id", "step"), _reading(patches), TIMED, reads)


def _one_row(
    name: str, key_field: str, facts: Callable[[str, dict], dict | None], events: frozenset[str]
) -> RowProjection:
    def patches(event: str, data: dict, envelope: dict) -> Iterable[Patch]:
        found = facts(event, data)
        return [((envelope["tenant"], data[key_field]), found)] if found else []

    return RowProjection(name, ("tenant", key_field), _reading(patches), events)


def projections(tenants: dict) -> dict[str, Projection]:
    """Every projection by the name `replay` takes."""
    every = [
        usage_projection(tenants),
        register_projection(),
        steps_projection(),
        _one_row("complaints", "complaint_id", complaint_facts, COMPLAINT_EVENTS),
        _one_row("findings", "finding_id", finding_facts, FINDING_EVENTS),
        _one_row("surveys", "survey_id", survey_facts, SURVEY_EVENTS),
    ]
    return {projection.name: projection for projection in every}
