"""Rekap: which month, quarter and year an event counts in, read in the tenant's own zone."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from reporting.adapters.projections import usage_projection
from shared.config import REPO_ROOT
from shared.events import envelope_for
from shared.events.contracts import (
    ComplaintReceived,
    ComplaintResolved,
    MeetingHeld,
    RequestApproved,
    RequestSubmitted,
    StepTiming,
)
from shared.events.contracts.intake import RequestSubmittedV1
from shared.tenants import load_tenants

TENANTS = load_tenants(REPO_ROOT / "tenants")
UTC, WIB, WITA = ZoneInfo("UTC"), ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar")
USAGE = usage_projection(TENANTS)
deltas = USAGE.deltas


def envelope(event, tenant: str) -> dict:
    return envelope_for(
        event, tenant=tenant, subject=f"vidcon.{tenant}.x.y", stream_version=1, correlation_id="c"
    ).model_dump(mode="json")


def counted(event, tenant: str) -> dict[tuple[str, ...], int]:
    """What the projection writes for one event: its month's keys rolled up to quarter and year."""
    result = USAGE.rolled_up(dict(deltas(envelope(event, tenant))))
    assert all(key[0] == tenant for key in result)
    return result


def meeting_held(started_at: datetime, attendance: int = 25) -> MeetingHeld:
    return MeetingHeld(
        request_id="r1",
        meeting_id="m1",
        started_at=started_at,
        ended_at=datetime(2027, 6, 1, tzinfo=UTC),
        attendance=attendance,
    )


def periods_of(result: dict, metric: str) -> dict[str, str]:
    return {kind: period for (_, kind, period, m) in result if m == metric}


@pytest.mark.parametrize(
    ("instant", "wita_periods", "wib_periods"),
    [
        # 16:30 UTC is 23:30 WIB on the last day and 00:30 WITA on the first day of the next month.
        (
            datetime(2026, 1, 31, 16, 30, tzinfo=UTC),
            {"month": "2026-02", "quarter": "2026-Q1", "year": "2026"},
            {"month": "2026-01", "quarter": "2026-Q1", "year": "2026"},
        ),
        (
            datetime(2026, 3, 31, 16, 30, tzinfo=UTC),
            {"month": "2026-04", "quarter": "2026-Q2", "year": "2026"},
            {"month": "2026-03", "quarter": "2026-Q1", "year": "2026"},
        ),
        (
            datetime(2026, 12, 31, 16, 30, tzinfo=UTC),
            {"month": "2027-01", "quarter": "2027-Q1", "year": "2027"},
            {"month": "2026-12", "quarter": "2026-Q4", "year": "2026"},
        ),
    ],
    ids=["month", "quarter", "year"],
)
def test_meeting_counts_in_the_period_of_the_tenant_zone(instant, wita_periods, wib_periods):
    in_kaltara = counted(meeting_held(instant), "kaltara")
    in_majalengka = counted(meeting_held(instant), "majalengka")

    assert periods_of(in_kaltara, "meetings_held") == wita_periods
    assert periods_of(in_majalengka, "meetings_held") == wib_periods


def test_meeting_held_adds_one_meeting_and_its_attendance_to_each_period():
    result = counted(meeting_held(datetime(2026, 5, 12, 9, 0, tzinfo=WIB), attendance=57), "purbalingga")

    assert result == {
        ("purbalingga", "month", "2026-05", "meetings_held"): 1,
        ("purbalingga", "quarter", "2026-Q2", "meetings_held"): 1,
        ("purbalingga", "year", "2026", "meetings_held"): 1,
        ("purbalingga", "month", "2026-05", "participants"): 57,
        ("purbalingga", "quarter", "2026-Q2", "participants"): 57,
        ("purbalingga", "year", "2026", "participants"): 57,
    }


def timing(met: bool, finished: datetime) -> StepTiming:
    return StepTiming(
        step="dispose_to_technical_team",
        started_at=finished,
        due_at=finished,
        finished_at=finished,
        met_standard=met,
        margin_minutes=0 if met else -20,
    )


def test_a_missed_standard_adds_steps_missed_not_steps_met():
    finished = datetime(2026, 11, 30, 10, 0, tzinfo=WITA)
    result = counted(RequestApproved(request_id="r1", by="kabid", timing=timing(False, finished)), "kaltara")

    assert result[("kaltara", "month", "2026-11", "requests_approved")] == 1
    assert result[("kaltara", "month", "2026-11", "steps_missed")] == 1
    assert {m for (*_, m) in result} == {"requests_approved", "steps_missed"}


def test_a_kept_standard_adds_steps_met():
    finished = datetime(2026, 12, 29, 9, 0, tzinfo=WIB)
    resolved = ComplaintResolved(complaint_id="c1", timing=timing(True, finished).model_copy(update={"step": "light"}))
    result = counted(resolved, "purbalingga")

    assert {m for (*_, m) in result} == {"complaints_resolved", "steps_met"}
    assert result[("purbalingga", "quarter", "2026-Q4", "steps_met")] == 1


def test_an_unknown_event_type_adds_nothing():
    data = envelope(meeting_held(datetime(2026, 5, 12, 9, 0, tzinfo=WIB)), "kaltara")
    data["type"] = "id.go.vidcon.survey.answered.v1"

    assert list(deltas(data)) == []


def test_v1_request_submitted_is_upcast_and_counted_by_its_received_time():
    received = datetime(2026, 6, 30, 16, 30, tzinfo=UTC)  # 00:30 WITA on 1 July
    v1 = RequestSubmittedV1(
        request_id="r1",
        tracking_code="ABCD2345",
        agency="Dinas Pendidikan",
        event_name="Rakor",
        starts_at=datetime(2026, 7, 10, 9, 0, tzinfo=WITA),
        ends_at=datetime(2026, 7, 10, 11, 0, tzinfo=WITA),
        online_only=True,
        contact_ref="kontak-1",
        received_at=received,
    )
    data = envelope(v1, "gorontalo")
    assert data["type"] == "id.go.vidcon.request.submitted.v1"

    result = USAGE.rolled_up(dict(deltas(data)))

    assert result == {
        ("gorontalo", "month", "2026-07", "requests_submitted"): 1,
        ("gorontalo", "quarter", "2026-Q3", "requests_submitted"): 1,
        ("gorontalo", "year", "2026", "requests_submitted"): 1,
    }


def test_v2_request_submitted_counts_by_submitted_at():
    v2 = RequestSubmitted(
        request_id="r2",
        tracking_code="EFGH6789",
        agency="Dinas Pendidikan",
        event_name="Rakor",
        starts_at=datetime(2026, 7, 10, 9, 0, tzinfo=WIB),
        ends_at=datetime(2026, 7, 10, 11, 0, tzinfo=WIB),
        online_only=True,
        channel="srikandi",
        contact_ref="kontak-2",
        submitted_at=datetime(2026, 6, 30, 16, 30, tzinfo=UTC),  # 23:30 WIB on 30 June
    )

    assert periods_of(counted(v2, "purbalingga"), "requests_submitted") == {
        "month": "2026-06",
        "quarter": "2026-Q2",
        "year": "2026",
    }


@pytest.mark.parametrize(
    "written, month",
    [
        ("2026-03-31T23:30:00+07:00", "2026-03"),  # the tenant's own offset: read off the text
        ("2026-03-31T16:30:00Z", "2026-03"),  # 23:30 WIB
        ("2026-03-31T17:30:00Z", "2026-04"),  # 00:30 WIB on 1 April
        ("2026-03-27T23:59:00Z", "2026-03"),  # before the 28th, UTC cannot be in the next month
        ("2026-03-31T19:30:00+02:00", "2026-04"),  # 00:30 WIB on 1 April, from another offset
    ],
)
def test_a_moment_counts_in_the_tenants_month_however_it_is_written(written, month):
    data = envelope(meeting_held(datetime.fromisoformat(written)), "majalengka")
    data["data"]["started_at"] = written
    assert periods_of(counted_envelope(data), "meetings_held")["month"] == month


def counted_envelope(data: dict) -> dict:
    return USAGE.rolled_up(dict(deltas(data)))


def received(category: str) -> ComplaintReceived:
    return ComplaintReceived(
        complaint_id="c1",
        tracking_code="ABCD2345",
        category=category,
        channel="web_form",
        complainant_ref="ref",
        received_at=datetime(2026, 12, 1, 9, tzinfo=WIB),
    )


def test_suggestions_and_appreciation_are_counted_apart_from_complaints():
    metrics = {
        category: {m for (_, kind, _, m) in counted(received(category), "majalengka") if kind == "month"}
        for category in ("complaint", "suggestion", "appreciation")
    }
    assert metrics == {
        "complaint": {"complaints_received"},
        "suggestion": {"suggestions_received"},
        "appreciation": {"appreciations_received"},
    }
