"""Chart.js configurations of an evaluation: where people would rather look than read."""

from __future__ import annotations

from reporting.domain.evaluation import Evaluation
from reporting.domain.periods import MONTH_NAMES
from reporting.entrypoints.labels import label
from reporting.domain.register import OUTCOMES

BLUE, GREEN, RED, AMBER = "#0b5cad", "#1f7a3d", "#b3261e", "#c77d00"


def _bar(labels: list[str], datasets: list[dict], stacked: bool = False, horizontal: bool = False) -> dict:
    counts = {"stacked": stacked, "beginAtZero": True, "ticks": {"precision": 0}}
    axes = {"x": counts, "y": counts}
    return {
        "type": "bar",
        "data": {"labels": labels, "datasets": datasets},
        "options": {
            "indexAxis": "y" if horizontal else "x",
            "responsive": True,
            "maintainAspectRatio": False,
            "scales": axes,
            "plugins": {"legend": {"position": "bottom"}},
        },
    }


def wrapped(text: str, width: int = 22) -> list[str]:
    """A long label as lines, so a phone-wide chart shows it whole."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + len(word) < width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def outcomes_chart(evaluation: Evaluation) -> dict:
    names = [label(OUTCOMES, code) for code in evaluation.outcomes]
    return _bar(
        names,
        [{"label": "Permohonan", "data": list(evaluation.outcomes.values()), "backgroundColor": BLUE}],
        horizontal=True,
    )


def steps_chart(evaluation: Evaluation) -> dict:
    steps = [*evaluation.steps, evaluation.overall]
    return _bar(
        [wrapped(f"{i}. {s.name}") for i, s in enumerate(steps, start=1)],
        [
            {"label": "Tepat waktu", "data": [s.spread.met for s in steps], "backgroundColor": GREEN},
            {"label": "Terlambat", "data": [s.spread.late for s in steps], "backgroundColor": RED},
        ],
        stacked=True,
        horizontal=True,
    )


def months_chart(evaluation: Evaluation) -> dict:
    names = [MONTH_NAMES[month.index - 1][:3] for month, _ in evaluation.months]
    return _bar(
        names,
        [
            {"label": "Permohonan", "data": [s.requests for _, s in evaluation.months], "backgroundColor": BLUE},
            {"label": "Terlaksana", "data": [s.held for _, s in evaluation.months], "backgroundColor": GREEN},
            {"label": "Gagal", "data": [s.failed for _, s in evaluation.months], "backgroundColor": AMBER},
        ],
    )


def charts_of(evaluation: Evaluation) -> dict[str, dict]:
    """Only the charts that have something to show."""
    charts = {}
    if evaluation.months and any(summary.requests for _, summary in evaluation.months):
        charts["bulanan"] = months_chart(evaluation)
    if evaluation.outcomes:
        charts["hasil"] = outcomes_chart(evaluation)
    if any(s.spread.count for s in [*evaluation.steps, evaluation.overall]):
        charts["langkah"] = steps_chart(evaluation)
    return charts
