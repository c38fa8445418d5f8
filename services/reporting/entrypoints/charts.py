"""Chart.js configurations of an evaluation: where people would rather look than read."""
from __future__ import annotations

from reporting.domain.evaluation import Evaluation
from reporting.domain.periods import MONTH_NAMES
from reporting.entrypoints.labels import label
from reporting.domain.register import OUTCOMES

BLUE, GREEN, RED, AMBER = "#0b5cad", "#1f7a3d", "#b3261e", "#c77d00"


def _bar(labels: list[str], datasets: list[dict], stacked: bool = False, horizontal: bool = False) -> dict:
    axes = {"x": {"stacked": stacked, "beginAtZero": True}, "y": {"stacked": stacked, "beginAtZero": True,
                                                                     "ticks": {"precision": 0}}}
    return {"type": "bar", "data": {"labels": labels, "datasets": datasets},
            "options": {"indexAxis": "y" if horizontal else "x", "responsive": True, "maintainAspectRatio": False,
                        "scales": axes, "plugins": {"legend": {"position": "bottom"}}}}


def outcomes_chart(evaluation: Evaluation) -> dict:
    names = [label(OUTCOMES, code) for code in evaluation.outcomes]
    return _bar(names, [{"label": "Permohonan", "data": list(evaluation.outcomes.values()), "backgroundColor": BLUE}],
                horizontal=True)


def steps_chart(evaluation: Evaluation) -> dict:
    steps = [*evaluation.steps, evaluation.overall]
    return _bar([s.name[:40] for s in steps], [
        {"label": "Tepat waktu", "data": [s.spread.met for s in steps], "backgroundColor": GREEN},
        {"label": "Terlambat", "data": [s.spread.late for s in steps], "backgroundColor": RED}],
        stacked=True, horizontal=True)


def months_chart(evaluation: Evaluation) -> dict:
    names = [MONTH_NAMES[month.index - 1][:3] for month, _ in evaluation.months]
    return _bar(names, [
        {"label": "Permohonan", "data": [s.requests for _, s in evaluation.months], "backgroundColor": BLUE},
        {"label": "Terlaksana", "data": [s.held for _, s in evaluation.months], "backgroundColor": GREEN},
        {"label": "Gagal", "data": [s.failed for _, s in evaluation.months], "backgroundColor": AMBER}])


def charts_of(evaluation: Evaluation) -> dict[str, dict]:
    charts = {"hasil": outcomes_chart(evaluation), "langkah": steps_chart(evaluation)}
    if evaluation.months:
        charts["bulanan"] = months_chart(evaluation)
    return charts
