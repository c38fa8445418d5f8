"""Kepatuhan standar pelayanan per langkah SOP, and for the SOP as a whole."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable

from reporting.domain.figures import Spread
from reporting.domain.periods import Period
from reporting.domain.steps import minutes_used, with_minutes_used
from shared.tenants import ApprovalStep, DeliveryStep, StandardSpec, TenantProfile
from shared.tenants.vocabulary import Role

OVERALL = "_overall"


@dataclass(frozen=True)
class StepCompliance:
    step: str
    name: str
    standard: str
    spread: Spread
    rows: list[dict[str, Any]]
    """The timings behind the figures: one per request."""


def finished_in(rows: Iterable[dict[str, Any]], period: Period, profile: TenantProfile) -> list[dict[str, Any]]:
    zone = profile.calendar().zone
    return [row for row in rows if period.includes(row["finished_at"], zone)]


def steps_finished_in(rows: Iterable[dict[str, Any]], period: Period, profile: TenantProfile) -> list[dict[str, Any]]:
    """The period's step timings, with the working time each used."""
    return with_minutes_used(finished_in(rows, period, profile), profile)


def by_step(step_rows: list[dict[str, Any]], profile: TenantProfile) -> list[StepCompliance]:
    """Every step of the profile that has a standard, in the SOP's order.

    The requester's own step (Tangerang's form, 3 minutes) is done before the request reaches
    the department: nobody can time it, so it is not listed.
    """
    steps: list[ApprovalStep | DeliveryStep] = [*profile.approval_steps, *profile.delivery_steps]
    return [
        _compliance(s.id, s.name, describe(s.standard), [r for r in step_rows if r["step"] == s.id])
        for s in steps
        if s.standard is not None and s.role is not Role.REQUESTER
    ]


def _compliance(step: str, name: str, standard: str, rows: list[dict[str, Any]]) -> StepCompliance:
    return StepCompliance(step, name, standard, Spread.of(rows), rows)


def overall_timing(row: dict[str, Any], profile: TenantProfile) -> dict[str, Any] | None:
    """The whole SOP's standard for one request: from its last arrival to where the profile ends it.

    The last arrival is the submission, or the resubmission after a return, or the reopening
    after a reschedule: each starts the department's clock again, as approval's steps do.
    """
    end = row.get(ENDS[profile.service_standard_ends])
    if not end or (profile.service_standard_ends == "decision" and not row.get("decision")):
        return None
    start = max(filter(None, [row.get("submitted_at"), row.get("resubmitted_at"), row.get("reopened_at")]))
    if end < start:
        return None
    standard = profile.service_standard.to_standard()
    assessment = profile.calendar().assess(datetime.fromisoformat(start), datetime.fromisoformat(end), standard)
    return {
        "request_id": row["request_id"],
        "tracking_code": row.get("tracking_code"),
        "step": OVERALL,
        "started_at": start,
        "finished_at": end,
        "met": assessment.met,
        "margin_minutes": int(assessment.margin_minutes // 1),
        "used_minutes": round(minutes_used(profile, standard, start, end), 1),
    }


ENDS = {"decision": "decided_at", "meeting_scheduled": "scheduled_at", "equipment_ready": "ready_at"}
ENDS_NAMES = {
    "decision": "sampai keputusan",
    "meeting_scheduled": "sampai tautan rapat dibuat",
    "equipment_ready": "sampai peralatan dan ruang siap",
}
UNIT_NAMES = {"minutes": "menit kerja", "hours": "jam kerja", "working_days": "hari kerja", "calendar_hours": "jam"}


def describe(standard: StandardSpec) -> str:
    return f"{standard.amount} {UNIT_NAMES.get(standard.unit.value, standard.unit.value)}"


def overall(register_rows: list[dict[str, Any]], period: Period, profile: TenantProfile) -> StepCompliance:
    timed = [t for t in (overall_timing(row, profile) for row in register_rows) if t]
    return _compliance(
        OVERALL,
        f"Standar pelayanan SOP ({ENDS_NAMES[profile.service_standard_ends]})",
        describe(profile.service_standard),
        finished_in(timed, period, profile),
    )
