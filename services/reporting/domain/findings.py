"""Temuan dan rencana tindak lanjut: recorded on one evaluation, carried into the next."""

from __future__ import annotations

from typing import Any
from reporting.domain.periods import Period
from reporting.domain.register import utc


FINDING_EVENTS = frozenset({"evaluation.finding_recorded"})


def finding_facts(name: str, data: dict[str, Any]) -> dict[str, Any] | None:
    if name not in FINDING_EVENTS:
        return None
    return {
        "period_kind": data["period_kind"],
        "period": data["period"],
        "finding": data["finding"],
        "follow_up": data["follow_up"],
        "follow_up_due": data.get("follow_up_due"),
        "by": data["by"],
        "recorded_at": utc(data["recorded_at"]),
    }


def of_period(findings: list[dict[str, Any]], period: Period) -> list[dict[str, Any]]:
    return sorted(
        (f for f in findings if (f["period_kind"], f["period"]) == (period.kind, period.key)),
        key=lambda f: f["recorded_at"],
    )
