"""Each tenant's February 2026 recap and first-quarter evaluation, figure by figure.

The history (tests/evaluation_month.py) goes through the real projections' patches; every
expected number below was worked out by hand from the tenant's SOP and calendar: Kaltara
and Gorontalo close at 16:30 on Fridays, Monday 16 February is the Imlek cuti bersama and
Tuesday 17 February the Imlek holiday, so R2's first step (Friday 15:00 to Wednesday 09:00)
used 90 + 60 = 150 working minutes (Gorontalo counts clock hours: 6,840 minutes).
"""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pytest

from reporting.adapters.projections import projections
from reporting.domain.evaluation import History, evaluate
from reporting.domain.periods import Period
from shared.config import REPO_ROOT
from shared.tenants import load_tenants
from tests.evaluation_month import february

TENANTS = load_tenants(REPO_ROOT / "tenants")
NOW = datetime(2026, 3, 2, 3, tzinfo=timezone.utc)


def history_of(envelopes: list[dict]) -> History:
    """What the live projections hold after these events, folded as PostgreSQL merges them."""
    tables = {}
    for name in ("requests", "steps", "complaints", "findings", "surveys"):
        projection, folded = projections(TENANTS)[name], {}
        for envelope in envelopes:
            projection.fold(projection.changes(envelope), folded)
        tables[name] = [dict(zip(projection.key_columns, key)) | doc for key, doc in folded.items()]
    return History(tables["requests"], tables["steps"], tables["complaints"], tables["findings"], tables["surveys"])


def spread(step) -> tuple:
    s = step.spread
    return (s.count, s.met, s.late, s.median_minutes, s.p90_minutes)


# (step id -> (count, met, late, median, p90)), overall, steps met %, overall met %
EXPECTED = {
    "kaltara": (
        {
            "dispose_to_head_of_division": (7, 6, 1, 1.0, 150.0),
            "dispose_to_technical_team": (5, 5, 0, 1.0, 1.0),
            "coordinate_check_and_trial": (4, 4, 0, 30.0, 30.0),
            "run_and_report": (4, 4, 0, 30.0, 30.0),
        },
        (4, 4, 0, 32.5, 181.0),
        95.0,
        100.0,
    ),
    "majalengka": (
        {"verify_documents": (7, 7, 0, 1.0, 150.0), "create_zoom_meeting": (5, 5, 0, 29.0, 30.0)},
        (5, 5, 0, 30.0, 180.0),
        100.0,
        100.0,
    ),
    "purbalingga": ({"review_request": (7, 7, 0, 1.0, 150.0)}, (5, 5, 0, 30.0, 180.0), 100.0, 100.0),
    "tangerang": (
        {"receive_and_verify": (7, 5, 2, 1.0, 150.0), "approve_by_signature": (5, 5, 0, 1.0, 1.0)},
        (6, 5, 1, 2.0, 151.0),
        83.3,
        83.3,
    ),
    "gorontalo": ({"receive_request": (7, 6, 1, 1.0, 6840.0)}, (5, 4, 1, 30.0, 6870.0), 85.7, 80.0),
}


@pytest.fixture(scope="module", params=sorted(EXPECTED))
def month(request):
    profile = TENANTS[request.param]
    history = history_of(february(profile))
    return profile, history, evaluate(history, Period("month", 2026, 2), profile, NOW)


def test_the_register_lists_every_request_of_the_month_with_its_outcome(month):
    profile, _, e = month
    assert [(r["tracking_code"], r["outcome"]) for r in e.register] == [
        ("R1", "held"),
        ("R4", "rejected"),
        ("R3", "withdrawn"),
        ("R5", "held"),
        ("R2", "held"),
        ("R6", "failed"),
        ("R7", "returned"),
        ("R8", "held"),
    ]
    assert e.outcomes == {"held": 4, "failed": 1, "rejected": 1, "returned": 1, "withdrawn": 1}
    assert (e.returned, e.rescheduled, e.failures) == (2, 1, {"equipment_missing": 1})
    assert e.by_agency == {"BPBD": 5, "Bappeda": 3}
    assert e.by_channel == {"official_letter": 8}
    assert e.by_platform == {"zoom": 5, "-": 3}
    r8 = next(r for r in e.register if r["tracking_code"] == "R8")
    assert datetime.fromisoformat(r8["starts_at"]) == datetime(2026, 2, 26, 10, tzinfo=profile.calendar().zone)
    held = [r for r in e.register if r["outcome"] == "held"]
    assert sorted(r["attendance"] for r in held) == [20, 30, 40, 50]
    assert all(r["officers_on_duty"] == ["operator1"] for r in held)


def test_each_step_counts_once_by_its_final_attempt_against_its_standard(month):
    profile, _, e = month
    steps, overall, steps_share, overall_share = EXPECTED[profile.id]
    assert {s.step: spread(s) for s in e.steps} == steps
    assert spread(e.overall) == overall
    assert (e.summary.steps_met_share, e.summary.overall_met_share) == (steps_share, overall_share)


def test_the_worst_case_is_the_request_that_was_latest_against_its_standard(month):
    profile, history, e = month
    first = e.steps[0]
    r2 = next(r["request_id"] for r in history.requests if r["tracking_code"] == "R2")
    if first.spread.late:
        assert first.spread.worst["request_id"] == r2
        assert first.spread.worst["margin_minutes"] < 0


def test_complaints_are_counted_by_kind_apart_from_request_steps(month):
    _, _, e = month
    kinds = {c.kind: (c.received, c.resolved, c.met, c.late, c.open_overdue) for c in e.complaints}
    assert kinds == {
        "light": (1, 1, 1, 0, 0),
        "normative": (0, 0, 0, 0, 0),
        "not_supervisory": (0, 0, 0, 0, 0),
        "supervisory": (1, 0, 0, 0, 0),
    }
    assert (e.summary.complaints, e.summary.complaints_met_share) == (2, 100.0)
    assert (e.unclassified, e.feedback) == (0, {"suggestion": 1, "appreciation": 0})  # the suggestion apart
    assert all(s.step not in ("light", "supervisory") for s in [*e.steps, e.overall])


def test_the_month_compares_with_january_and_carries_januarys_findings(month):
    _, _, e = month
    assert (e.summary.requests, e.summary.held, e.summary.failed, e.summary.attendance) == (8, 4, 1, 140)
    assert (e.previous.requests, e.change["requests"], e.change["held"]) == (0, 8, 4)
    assert e.change["steps_met_share"] is None
    assert [f["finding"] for f in e.carried_findings] == ["Dua rapat terlambat dibuka"]
    assert e.findings == []


def test_the_satisfaction_index_of_the_months_responses(month):
    _, history, e = month
    # R1 answered 4 to all nine elements, R2 3: NRR 3.50 each, IKM 3.50 x 25 = 87.50, grade B;
    # 4 meetings were held, and Krejcie-Morgan's sample for a population of 4 is 4
    assert (e.ikm.ikm, e.ikm.grade.letter, e.ikm.respondents) == (Decimal("87.50"), "B", 2)
    assert set(e.ikm.elements.values()) == {Decimal("3.50")}
    assert (e.ikm_sample_short, e.summary.ikm, e.previous.ikm, e.change["ikm"]) == (4, 87.5, None, None)
    bpbd = evaluate(history, Period("month", 2026, 2), month[0], NOW, agency="BPBD")
    assert bpbd.ikm is None


def test_the_quarter_holds_the_month_and_shows_it_among_its_months(month):
    profile, history, e = month
    quarter = evaluate(history, Period("quarter", 2026, 1), profile, NOW)
    assert quarter.summary == e.summary
    assert [(m.key, s.requests, s.held) for m, s in quarter.months] == [
        ("2026-01", 0, 0),
        ("2026-02", 8, 4),
        ("2026-03", 0, 0),
    ]
    assert {s.step: spread(s) for s in quarter.steps} == EXPECTED[profile.id][0]
    assert quarter.carried_findings == []


def test_an_agency_filter_keeps_only_its_requests_and_their_steps(month):
    profile, history, _ = month
    bappeda = evaluate(history, Period("month", 2026, 2), profile, NOW, agency="Bappeda")
    assert [r["tracking_code"] for r in bappeda.register] == ["R1", "R5", "R2"]
    assert bappeda.steps[0].spread.count == 3
