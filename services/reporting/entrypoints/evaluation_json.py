"""An evaluation as JSON for programs; the same figures the page and the exports show."""

from __future__ import annotations

from dataclasses import asdict

from reporting.domain.compliance import StepCompliance
from reporting.domain.evaluation import Evaluation

REGISTER_FIELDS = (
    "request_id",
    "tracking_code",
    "starts_at",
    "ends_at",
    "agency",
    "event_name",
    "channel",
    "provider",
    "host_account",
    "online_only",
    "venue",
    "report_venue",
    "leading_official_position",
    "officers_on_duty",
    "attendance",
    "recording_kept",
    "recording_deleted_at",
    "outcome",
    "failure_reason",
    "returned",
    "rescheduled",
)


def _compliance(step: StepCompliance) -> dict:
    spread = step.spread
    worst = spread.worst and {
        "request_id": spread.worst["request_id"],
        "margin_minutes": spread.worst["margin_minutes"],
    }
    return {
        "step": step.step,
        "name": step.name,
        "standard": step.standard,
        "count": spread.count,
        "met": spread.met,
        "late": spread.late,
        "met_share": spread.met_share,
        "median_minutes": spread.median_minutes,
        "p90_minutes": spread.p90_minutes,
        "worst": worst,
    }


def as_json(evaluation: Evaluation) -> dict:
    period = evaluation.period
    return {
        "tenant": evaluation.profile.id,
        "period_kind": period.kind,
        "period": period.key,
        "label": period.label,
        "agency": evaluation.agency,
        "register": [{name: row.get(name) for name in REGISTER_FIELDS} for row in evaluation.register],
        "totals": {
            "outcome": evaluation.outcomes,
            "agency": evaluation.by_agency,
            "channel": evaluation.by_channel,
            "platform": evaluation.by_platform,
            "failure": evaluation.failures,
            "returned": evaluation.returned,
            "rescheduled": evaluation.rescheduled,
        },
        "compliance": {
            "steps": [_compliance(step) for step in evaluation.steps],
            "overall": _compliance(evaluation.overall),
        },
        "complaints": [asdict(kind) for kind in evaluation.complaints],
        "ikm": None if evaluation.ikm is None else evaluation.ikm.as_json(),
        "ikm_minimum_sample_short": evaluation.ikm_sample_short,
        "summary": asdict(evaluation.summary),
        "previous": asdict(evaluation.previous),
        "change": evaluation.change,
        "months": [{"period": month.key, **asdict(summary)} for month, summary in evaluation.months],
        "findings": evaluation.findings,
        "carried_findings": evaluation.carried_findings,
    }
