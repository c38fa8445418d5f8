"""Which delivery steps a milestone finishes, from when they count, and only the first time."""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from provisioning.domain.delivery import DeliveryPlan
from shared.tenants import DoneWhen, load_tenants

TENANTS = load_tenants(Path(__file__).resolve().parents[2] / "tenants")
WITA = ZoneInfo("Asia/Makassar")


def plan(tenant: str, approved_at, event_start) -> DeliveryPlan:
    profile = TENANTS[tenant]
    return DeliveryPlan(profile.delivery_steps, profile.calendar(), approved_at, event_start)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=WITA)


def test_a_step_already_timed_is_not_timed_again():
    kaltara = plan("kaltara", at(1, 9), at(2, 9))
    [first] = kaltara.finished_by(DoneWhen.EQUIPMENT_READY, at(1, 10), {})
    assert first.step == "coordinate_check_and_trial"
    assert kaltara.finished_by(DoneWhen.EQUIPMENT_READY, at(1, 11), {first.step: first.finished_at}) == []


def test_a_milestone_no_step_waits_for_times_nothing():
    assert plan("kaltara", at(1, 9), at(2, 9)).finished_by(DoneWhen.MEETING_SCHEDULED, at(1, 9, 5), {}) == []
    assert plan("tangerang", at(1, 9), at(2, 9)).finished_by(DoneWhen.MEETING_SCHEDULED, at(1, 9, 5), {}) == []


def test_a_report_made_before_the_event_began_took_no_time():
    [run] = plan("kaltara", at(1, 9), at(2, 9)).finished_by(DoneWhen.MEETING_HELD, at(2, 8), {})
    assert (run.started_at, run.finished_at, run.met_standard, run.margin_minutes) == (at(2, 8), at(2, 8), True, 180)


def test_without_an_approval_time_the_first_step_is_not_timed():
    assert plan("kaltara", None, at(2, 9)).finished_by(DoneWhen.EQUIPMENT_READY, at(1, 10), {}) == []
