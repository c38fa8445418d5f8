"""Working-time deadlines of the five tenants, on real 2026 dates (holidays 0.109 data)."""

from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from shared.calendar import NaiveDatetimeError, OpeningHours, Standard, WorkingCalendar
from shared.tenants import load_tenants

TENANTS = load_tenants(Path(__file__).parents[2] / "tenants")
WIB, WITA, UTC = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar"), ZoneInfo("UTC")


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=WIB)


def wita(*args: int) -> datetime:
    return datetime(*args, tzinfo=WITA)


def step(tenant: str, step_id: str) -> Standard:
    profile = TENANTS[tenant]
    steps = {s.id: s for s in [*profile.approval_steps, *profile.delivery_steps]}
    return steps[step_id].standard.to_standard()


def service(tenant: str) -> Standard:
    return TENANTS[tenant].service_standard.to_standard()


def complaint(tenant: str, kind: str) -> Standard:
    return getattr(TENANTS[tenant].complaint_deadlines, kind).to_standard()


def case_ids(cases: list[tuple]) -> list[str]:
    return [f"{case[0]}-{case[1]:%Y-%m-%d-%H%M}-{case[2] if len(case) == 4 else case[-1]}" for case in cases]


def due(tenant: str, started: datetime, standard: Standard) -> datetime:
    return TENANTS[tenant].calendar().due(started, standard)


DUE_CASE = ("tenant", "started", "standard", "expected")
FRIDAY_AFTERNOON = [  # 2026-01-09 is a Friday; every tenant closes at 16:30 on Fridays
    ("kaltara", wita(2026, 1, 9, 16, 20), step("kaltara", "dispose_to_head_of_division"), wita(2026, 1, 12, 8, 50)),
    ("kaltara", wita(2026, 1, 9, 16, 40), step("kaltara", "dispose_to_head_of_division"), wita(2026, 1, 12, 9, 0)),
    ("tangerang", wib(2026, 1, 9, 16, 27), service("tangerang"), wib(2026, 1, 12, 8, 4)),
    ("tangerang", wib(2026, 1, 9, 16, 40), service("tangerang"), wib(2026, 1, 12, 8, 7)),
    ("majalengka", wib(2026, 1, 9, 16, 45), step("majalengka", "verify_documents"), wib(2026, 1, 13, 8, 0)),
    ("majalengka", wib(2026, 1, 9, 16, 20), service("majalengka"), wib(2026, 1, 13, 16, 0)),
    ("purbalingga", wib(2026, 1, 9, 16, 20), service("purbalingga"), wib(2026, 1, 12, 16, 0)),
    ("purbalingga", wib(2026, 1, 9, 16, 40), service("purbalingga"), wib(2026, 1, 13, 8, 0)),
    ("gorontalo", wita(2026, 1, 9, 16, 20), service("gorontalo"), wita(2026, 1, 10, 16, 20)),
    ("gorontalo", wita(2026, 1, 9, 17, 0), service("gorontalo"), wita(2026, 1, 10, 17, 0)),
]


@pytest.mark.parametrize(DUE_CASE, FRIDAY_AFTERNOON, ids=case_ids(FRIDAY_AFTERNOON))
def test_friday_afternoon_request_is_due(tenant, started, standard, expected):
    assert due(tenant, started, standard) == expected


def test_kaltara_disposition_chain_from_friday_afternoon_is_ready_monday_1000():
    ready = wita(2026, 1, 9, 14, 0)
    for step_id in ["dispose_to_head_of_division", "dispose_to_technical_team", "coordinate_check_and_trial"]:
        ready = due("kaltara", ready, step("kaltara", step_id))
    assert ready == wita(2026, 1, 12, 10, 0)  # 60 + 60 Friday, 30 to close, 120 on Monday


def test_2026_cuti_bersama_from_holidays_package_are_closed_days():
    calendar = TENANTS["kaltara"].calendar()
    cuti_bersama = [date(2026, 3, 18), date(2026, 3, 20), date(2026, 3, 23), date(2026, 3, 24), date(2026, 12, 24)]
    assert [calendar.is_working_day(day) for day in cuti_bersama] == [False] * 5
    assert "Joint Holiday" in calendar.closed_reason(date(2026, 12, 24))
    assert calendar.is_working_day(date(2026, 3, 17)) and calendar.is_working_day(date(2026, 3, 25))


HOLIDAY_CROSSINGS = [  # Idul Fitri 2026: 18-24 March closed (cuti bersama, Nyepi, weekend)
    ("kaltara", wita(2026, 3, 17, 15, 30), step("kaltara", "dispose_to_head_of_division"), wita(2026, 3, 25, 8, 30)),
    ("majalengka", wib(2026, 3, 17, 10, 0), service("majalengka"), wib(2026, 3, 26, 10, 0)),
    # Ascension Thu 14 May 2026 (public) and its cuti bersama Fri 15 May
    ("tangerang", wib(2026, 5, 13, 15, 58), service("tangerang"), wib(2026, 5, 18, 8, 5)),
    # Independence Day Mon 17 Aug 2026 (public holiday, no cuti bersama after it)
    ("purbalingga", wib(2026, 8, 14, 16, 0), Standard(60, "minutes"), wib(2026, 8, 18, 8, 30)),
    # Christmas cuti bersama Thu 24 Dec, Christmas Fri 25 Dec, New Year Fri 1 Jan 2027
    ("gorontalo", wita(2026, 12, 23, 10, 0), complaint("gorontalo", "light"), wita(2027, 1, 4, 10, 0)),
    ("purbalingga", wib(2026, 12, 18, 10, 0), complaint("purbalingga", "light"), wib(2026, 12, 29, 10, 0)),
    # 14 working days skip Idul Fitri and Good Friday (3 April 2026)
    ("purbalingga", wib(2026, 3, 10, 9, 0), complaint("purbalingga", "not_supervisory"), wib(2026, 4, 7, 9, 0)),
]


@pytest.mark.parametrize(DUE_CASE, HOLIDAY_CROSSINGS, ids=case_ids(HOLIDAY_CROSSINGS))
def test_step_over_holidays_and_cuti_bersama_is_due(tenant, started, standard, expected):
    assert due(tenant, started, standard) == expected


def test_gorontalo_24_clock_hours_run_through_christmas_cuti_bersama():
    calendar = TENANTS["gorontalo"].calendar()
    assert calendar.due(wita(2026, 12, 23, 10, 0), service("gorontalo")) == wita(2026, 12, 24, 10, 0)
    assert not calendar.is_working_time(wita(2026, 12, 24, 10, 0))


KALTARA_DISPOSITION = step("kaltara", "dispose_to_technical_team")
ASSESSMENT_CASE = ("tenant", "started", "finished", "standard", "met", "margin")  # margin: + early, - late
ASSESSMENTS = [
    ("kaltara", wita(2026, 1, 12, 8, 0), wita(2026, 1, 12, 8, 45), KALTARA_DISPOSITION, True, 15),
    ("kaltara", wita(2026, 1, 12, 8, 0), wita(2026, 1, 12, 10, 10), KALTARA_DISPOSITION, False, -70),
    ("tangerang", wib(2026, 1, 12, 10, 0), wib(2026, 1, 12, 10, 5), service("tangerang"), True, 2),
    ("tangerang", wib(2026, 1, 12, 10, 0), wib(2026, 1, 12, 10, 19), service("tangerang"), False, -12),
    ("majalengka", wib(2026, 3, 17, 10, 0), wib(2026, 3, 27, 9, 0), service("majalengka"), False, -420),
    ("purbalingga", wib(2026, 1, 12, 10, 0), wib(2026, 1, 13, 9, 0), service("purbalingga"), True, 60),
    ("purbalingga", wib(2026, 1, 12, 10, 0), wib(2026, 1, 13, 15, 0), service("purbalingga"), False, -300),
    ("gorontalo", wita(2026, 1, 9, 16, 20), wita(2026, 1, 10, 10, 0), service("gorontalo"), True, 380),
    ("gorontalo", wita(2026, 1, 9, 16, 20), wita(2026, 1, 12, 8, 30), service("gorontalo"), False, -2410),
]


@pytest.mark.parametrize(ASSESSMENT_CASE, ASSESSMENTS, ids=case_ids(ASSESSMENTS))
def test_step_assessment_says_met_and_by_how_many_minutes(tenant, started, finished, standard, met, margin):
    assessment = TENANTS[tenant].calendar().assess(started, finished, standard)
    assert (assessment.met, assessment.margin_minutes) == (met, margin)
    assert (assessment.minutes_early, assessment.minutes_late) == (max(margin, 0), max(-margin, 0))


def test_finishing_after_close_on_the_due_day_is_not_late_in_working_time():
    assessment = (
        TENANTS["purbalingga"]
        .calendar()
        .assess(wib(2026, 1, 9, 16, 20), wib(2026, 1, 12, 17, 30), service("purbalingga"))
    )
    assert assessment.due == wib(2026, 1, 12, 16, 0)
    assert (assessment.met, assessment.minutes_late) == (True, 0)


def test_same_utc_instant_gives_different_deadlines_in_wib_and_wita():
    request = datetime(2026, 1, 9, 8, 0, tzinfo=UTC)  # Friday 15:00 WIB, 16:00 WITA
    hour = Standard(60, "minutes")
    assert due("tangerang", request, hour) == datetime(2026, 1, 9, 9, 0, tzinfo=UTC)
    assert due("kaltara", request, hour) == datetime(2026, 1, 12, 0, 30, tzinfo=UTC)


def test_monday_opening_is_an_hour_earlier_in_utc_for_wita_than_wib():
    saturday = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)
    kaltara = TENANTS["kaltara"].calendar().next_opening(saturday)
    tangerang = TENANTS["tangerang"].calendar().next_opening(saturday)
    assert (kaltara.hour, tangerang.hour) == (8, 8)
    assert tangerang.astimezone(UTC) - kaltara.astimezone(UTC) == timedelta(hours=1)


def test_results_are_in_the_tenants_zone_when_given_utc():
    result = TENANTS["gorontalo"].calendar().add_working(datetime(2026, 1, 12, 1, 0, tzinfo=UTC), minutes=30)
    assert (result.tzinfo, result.isoformat()) == (WITA, "2026-01-12T09:30:00+08:00")


def test_working_minutes_between_counts_only_opening_hours():
    calendar = TENANTS["kaltara"].calendar()
    assert calendar.working_minutes_between(wita(2026, 1, 9, 16, 0), wita(2026, 1, 12, 9, 0)) == 90
    assert calendar.working_minutes_between(wita(2026, 1, 12, 9, 0), wita(2026, 1, 9, 16, 0)) == -90


def test_naive_datetimes_are_rejected_with_a_clear_error():
    calendar = TENANTS["tangerang"].calendar()
    naive = datetime(2026, 1, 12, 10, 0)
    with pytest.raises(NaiveDatetimeError, match="has no time zone"):
        calendar.add_working(naive, minutes=7)
    with pytest.raises(NaiveDatetimeError, match="has no time zone"):
        calendar.assess(wib(2026, 1, 12, 10, 0), naive, service("tangerang"))


def test_tenant_closed_date_is_skipped_like_a_holiday():
    hours = {day: OpeningHours(time(8), time(16)) for day in range(5)}
    calendar = WorkingCalendar("Asia/Makassar", hours, extra_closed_dates=[date(2026, 1, 12)])
    assert calendar.add_working(wita(2026, 1, 9, 15, 30), minutes=60) == wita(2026, 1, 13, 8, 30)
