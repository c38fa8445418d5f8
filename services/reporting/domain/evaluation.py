"""Evaluasi layanan: the recap and evaluation of one period, as the SOPs ask for them.

Gorontalo's monthly recap of execution reports, Kaltara's evaluation after each conference,
Majalengka's quarterly evaluation from the usage recap and the satisfaction survey,
Purbalingga's monthly evaluation meeting, Gorontalo's yearly evaluation of the standard.
"""

from __future__ import annotations

from typing import Any
from dataclasses import dataclass, field
from datetime import datetime

from reporting.domain.complaints import KIND_NAMES
from reporting.domain.compliance import StepCompliance, by_step, overall, steps_finished_in
from reporting.domain.figures import Spread, share, tally
from reporting.domain.findings import of_period
from reporting.domain.periods import Period
from reporting.domain.register import outcome, was_rescheduled, was_returned
from reporting.domain.surveys import index_of, short_of_sample
from shared.satisfaction import SatisfactionIndex
from shared.tenants import TenantProfile


@dataclass(frozen=True)
class History:
    """Every row of one tenant that a period's evaluation may need."""

    requests: list[dict[str, Any]]
    steps: list[dict[str, Any]]
    complaints: list[dict[str, Any]]
    findings: list[dict[str, Any]] = field(default_factory=list)
    surveys: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Summary:
    """The headline figures, compared period against period."""

    requests: int
    held: int
    failed: int
    attendance: int
    steps_met_share: float | None
    overall_met_share: float | None
    complaints: int
    complaints_met_share: float | None
    ikm: float | None

    def change_from(self, before: "Summary") -> dict[str, float | None]:
        return {
            name: None if now is None or then is None else round(now - then, 1)
            for name, now, then in ((n, getattr(self, n), getattr(before, n)) for n in vars(self))
        }


@dataclass(frozen=True)
class ComplaintKind:
    kind: str
    name: str
    received: int
    resolved: int
    met: int
    late: int
    open_overdue: int


@dataclass(frozen=True)
class Evaluation:
    profile: TenantProfile
    period: Period
    agency: str | None
    register: list[dict[str, Any]]
    outcomes: dict[str, int]
    by_agency: dict[str, int]
    by_channel: dict[str, int]
    by_platform: dict[str, int]
    failures: dict[str, int]
    returned: int
    rescheduled: int
    steps: list[StepCompliance]
    overall: StepCompliance
    complaints: list[ComplaintKind]
    summary: Summary
    previous: Summary
    months: list[tuple[Period, Summary]]
    findings: list[dict[str, Any]]
    carried_findings: list[dict[str, Any]]
    ikm: SatisfactionIndex | None
    """Indeks Kepuasan Masyarakat of the period's responses; None without any."""
    ikm_sample_short: int | None
    """The regulation's minimum sample for the period's held meetings, when fewer responded."""
    feedback: dict[str, int] = field(default_factory=dict)
    """Saran/masukan and apresiasi received in the period, counted apart from complaints."""
    unclassified: int = 0
    """Complaints of the period not yet classified (so without a deadline)."""

    @property
    def change(self) -> dict[str, float | None]:
        return self.summary.change_from(self.previous)


def in_register(
    rows: list[dict[str, Any]], period: Period, profile: TenantProfile, agency: str | None
) -> list[dict[str, Any]]:
    """The period's requests by the (latest) start of their meeting, with their outcome."""
    zone = profile.calendar().zone
    found = [
        row | {"outcome": outcome(row), "returned": was_returned(row), "rescheduled": was_rescheduled(row)}
        for row in rows
        if "starts_at" in row
        and period.includes(row["starts_at"], zone)
        and (agency is None or row.get("agency") == agency)
    ]
    return sorted(found, key=lambda row: (row["starts_at"], row.get("tracking_code") or ""))


def _of_agency(history: History, agency: str | None) -> History:
    if agency is None:
        return history
    ids = {row["request_id"] for row in history.requests if row.get("agency") == agency}
    return History(
        [r for r in history.requests if r["request_id"] in ids],
        [s for s in history.steps if s["request_id"] in ids],
        [c for c in history.complaints if c.get("request_id") in ids],
        history.findings,
        [s for s in history.surveys if s.get("request_id") in ids],
    )


def _received_in(
    rows: list[dict[str, Any]], period: Period, profile: TenantProfile, category: str = "complaint"
) -> list[dict[str, Any]]:
    """Pengaduan (or saran, apresiasi) received in the period."""
    zone = profile.calendar().zone
    return [
        c
        for c in rows
        if "received_at" in c and c.get("category", "complaint") == category and period.includes(c["received_at"], zone)
    ]


def complaint_kinds(complaints: list[dict[str, Any]], now: datetime) -> list[ComplaintKind]:
    figures = []
    for kind, name in KIND_NAMES.items():
        rows = [c for c in complaints if c["kind"] == kind]
        resolved = [c for c in rows if c.get("resolved_at")]
        met = sum(1 for c in resolved if c["met"])
        overdue = sum(1 for c in rows if not c.get("resolved_at") and datetime.fromisoformat(c["due_at"]) < now)
        figures.append(ComplaintKind(kind, name, len(rows), len(resolved), met, len(resolved) - met, overdue))
    return figures


def summarize(history: History, period: Period, profile: TenantProfile) -> Summary:
    """The headline figures of a period (the previous one, each month of a quarter or year)."""
    return _summary(
        in_register(history.requests, period, profile, None),
        steps_finished_in(history.steps, period, profile),
        overall(history.requests, period, profile),
        _received_in(history.complaints, period, profile),
        index_of(history.surveys, period, profile.calendar().zone),
    )


def _summary(
    register: list[dict[str, Any]],
    step_rows: list[dict[str, Any]],
    whole: StepCompliance,
    complaints: list[dict[str, Any]],
    ikm: SatisfactionIndex | None,
) -> Summary:
    resolved = [c for c in complaints if c.get("resolved_at")]
    return Summary(
        requests=len(register),
        held=sum(1 for r in register if r["outcome"] == "held"),
        failed=sum(1 for r in register if r["outcome"] == "failed"),
        attendance=sum(r.get("attendance") or 0 for r in register if r["outcome"] == "held"),
        steps_met_share=Spread.of(step_rows).met_share,
        overall_met_share=whole.spread.met_share,
        complaints=len(complaints),
        complaints_met_share=share(sum(1 for c in resolved if c["met"]), len(resolved)),
        ikm=None if ikm is None else float(ikm.ikm),
    )


def evaluate(
    history: History, period: Period, profile: TenantProfile, now: datetime, agency: str | None = None
) -> Evaluation:
    scoped = _of_agency(history, agency)
    register = in_register(scoped.requests, period, profile, None)
    step_rows = steps_finished_in(scoped.steps, period, profile)
    whole = overall(scoped.requests, period, profile)
    complaints = _received_in(scoped.complaints, period, profile)
    ikm = index_of(scoped.surveys, period, profile.calendar().zone)
    summary = _summary(register, step_rows, whole, complaints, ikm)
    return Evaluation(
        profile=profile,
        period=period,
        agency=agency,
        register=register,
        outcomes=tally(r["outcome"] for r in register),
        by_agency=tally(r["agency"] for r in register),
        by_channel=tally(r["channel"] for r in register),
        by_platform=tally(r.get("provider") or "-" for r in register),
        failures=tally(r["failure_reason"] for r in register if r["outcome"] == "failed"),
        returned=sum(1 for r in register if r["returned"]),
        rescheduled=sum(1 for r in register if r["rescheduled"]),
        steps=by_step(step_rows, profile),
        overall=whole,
        complaints=complaint_kinds(complaints, now),
        summary=summary,
        previous=summarize(scoped, period.previous(), profile),
        months=[(month, summarize(scoped, month, profile)) for month in period.parts()],
        findings=of_period(history.findings, period),
        carried_findings=of_period(history.findings, period.previous()),
        ikm=ikm,
        ikm_sample_short=short_of_sample(ikm, summary.held),
        feedback={c: len(_received_in(scoped.complaints, period, profile, c)) for c in ("suggestion", "appreciation")},
        unclassified=sum(1 for c in complaints if not c.get("kind")),
    )
