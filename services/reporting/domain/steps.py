"""Kepatuhan standar waktu: each SOP step of a request, by its final attempt.

A step that was returned to the requester and came back is timed again from the
resubmission (approval restarts its clock then), and only that last attempt counts: the time
the request spent with the requester is not the department's. A complaint's deadline is a
different clock and lives in `complaints`, never here.
"""

from __future__ import annotations

from typing import Any
from datetime import datetime
from reporting.domain.register import utc
from shared.calendar import Standard, TimeUnit
from shared.tenants import ApprovalStep, DeliveryStep, TenantProfile

TIMED = frozenset(
    {
        "request.verified",
        "request.returned",
        "request.disposed",
        "request.approved",
        "request.rejected",
        "delivery_step.completed",
    }
)


def standard_of(profile: TenantProfile | None, step_id: str) -> Standard | None:
    if profile is None:
        return None
    steps: list[ApprovalStep | DeliveryStep] = [*profile.approval_steps, *profile.delivery_steps]
    for step in steps:
        if step.id == step_id and step.standard is not None:
            return step.standard.to_standard()
    return None


def minutes_used(profile: TenantProfile | None, standard: Standard | None, started: str, finished: str) -> float:
    """Working minutes, or clock minutes where the standard counts calendar hours."""
    start, end = datetime.fromisoformat(started), datetime.fromisoformat(finished)
    if profile is None or (standard is not None and standard.unit is TimeUnit.CALENDAR_HOURS):
        return (end - start).total_seconds() / 60
    return profile.calendar().working_minutes_between(start, end)


STEP_DATA = {"timing": None}
"""What `step_facts` reads of an event's data, as shared.projections.decoding names fields:
a replay decodes only that."""


def step_facts(name: str, data: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """The step's timing as approval or provisioning measured it; the working time it used is
    worked out when a period is read (`with_minutes_used`), so a replay needs no calendar."""
    if name not in TIMED:
        return None
    timing = data["timing"]
    return timing["step"], {
        "started_at": utc(timing["started_at"]),
        "due_at": utc(timing["due_at"]),
        "finished_at": utc(timing["finished_at"]),
        "met": timing["met_standard"],
        "margin_minutes": timing["margin_minutes"],
        "returned": name == "request.returned",
    }


def with_minutes_used(rows: list[dict[str, Any]], profile: TenantProfile) -> list[dict[str, Any]]:
    return [
        row
        | {
            "used_minutes": round(
                minutes_used(profile, standard_of(profile, row["step"]), row["started_at"], row["finished_at"]), 1
            )
        }
        for row in rows
    ]
