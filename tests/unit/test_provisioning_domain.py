"""Provisioning's rules without I/O: accounts, buffers, readiness, requester's equipment, start/end, recordings."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from provisioning.domain.meeting import Meeting
from provisioning.domain.readiness import required_checks, requester_must_bring
from provisioning.domain.resources import Buffers, HostAccount, Operator, Window
from provisioning.domain.scheduling import Held, alternatives, least_loaded_free
from shared.domain import DomainRuleBroken
from shared.events.contracts.provisioning import EquipmentReady, MeetingStarted, RecordingCompleted

WITA = ZoneInfo("Asia/Makassar")
NINE = datetime(2026, 12, 3, 9, 0, tzinfo=WITA)
GORONTALO_KIT = (
    "Meja",
    "Kursi",
    "Komputer/laptop",
    "Televisi/LCD Proyektor",
    "Handphone",
    "Internet",
    "Kamera Zoom",
    "Speaker",
    "Kabel HDMI/audio/video",
    "Dongle audio/video",
    "Tripod Kamera",
)


def hours(start: int, end: int) -> Window:
    return Window(NINE + timedelta(hours=start), NINE + timedelta(hours=end))


def test_buffers_hold_set_up_before_and_overrun_after():
    window = Buffers(setup_minutes=45, overrun_minutes=30).window(NINE, NINE + timedelta(hours=2))
    assert (window.starts, window.ends) == (NINE - timedelta(minutes=45), NINE + timedelta(hours=2, minutes=30))


def test_the_least_loaded_free_account_comes_first_and_a_business_account_has_two_seats():
    pro, biz = HostAccount("pro-1", "zoom", "p@x"), HostAccount("biz-1", "zoom", "b@x", license="business")
    held = [Held("pro-1", 1, "r1", hours(0, 2)), Held("biz-1", 1, "r2", hours(0, 2))]

    free = least_loaded_free([pro, biz], hours(1, 3), held, load={"biz-1": 1, "pro-1": 3})

    assert [(account.account_id, seat) for account, seat in free] == [("biz-1", 2)]


def test_when_nothing_is_free_the_nearest_free_start_of_each_account_is_offered():
    pro1, pro2 = HostAccount("pro-1", "zoom", "a@x"), HostAccount("pro-2", "zoom", "b@x")
    held = [
        Held("pro-1", 1, "r1", hours(0, 2)),
        Held("pro-1", 1, "r2", hours(2, 3)),
        Held("pro-2", 1, "r3", hours(0, 4)),
    ]

    near = alternatives([pro1, pro2], hours(1, 2), held)

    assert near == [("pro-1", NINE + timedelta(hours=3)), ("pro-2", NINE + timedelta(hours=4))]


def test_an_operator_on_leave_or_off_duty_is_not_available():
    ani = Operator("ani", frozenset({1, 2, 3, 4}), leave=((NINE.date(), NINE.date()),))
    assert not ani.available_on(NINE.date())  # Thursday, on leave
    assert ani.available_on(NINE.date() - timedelta(days=1))
    assert not ani.available_on(NINE.date() + timedelta(days=1))  # Friday is not her working day


def test_gorontalo_requester_brings_what_the_kit_lacks():
    asked = ["Kamera Zoom", "Mikrofon nirkabel", "kabel hdmi/audio/video"]
    assert requester_must_bring(asked, GORONTALO_KIT) == ["Mikrofon nirkabel"]
    assert len(GORONTALO_KIT) == 11


def scheduled(recording: bool = False) -> Meeting:
    meeting = Meeting("req-1", "gorontalo")
    meeting.book("pro-1", hours(-1, 3))
    meeting.record_scheduled(
        "zoom", "p@x", "8501", "https://zoom.example/j/8501", "abc123", NINE, NINE + timedelta(hours=2), recording
    )
    return meeting


def test_the_last_required_check_makes_the_meeting_ready():
    meeting = scheduled()
    meeting.assign_crew(["op-1"], "kit-1", None, required_checks(False), NINE - timedelta(hours=4))
    for check in ("network", "equipment", "venue"):
        meeting.record_check(check, "op-1", "", NINE - timedelta(hours=3), required_checks(online_only=False))
        assert not meeting.ready
    meeting.record_check("trial_run", "op-1", "Uji coba lancar", NINE - timedelta(hours=1), required_checks(False))

    ready = meeting.pending[-1]
    assert isinstance(ready, EquipmentReady) and ready.checklist == ["equipment", "network", "trial_run", "venue"]
    with pytest.raises(DomainRuleBroken, match="sudah dinyatakan siap"):
        meeting.record_check("network", "op-1", "", NINE, required_checks(False))


def test_start_told_by_zoom_and_by_the_operator_is_recorded_once():
    meeting = scheduled()
    meeting.record_started(NINE + timedelta(minutes=2), "provider")
    meeting.record_started(NINE + timedelta(minutes=5), "operator")
    assert [type(e) for e in meeting.pending].count(MeetingStarted) == 1
    assert meeting.started_at == NINE + timedelta(minutes=2)


def test_a_recording_without_the_organisers_permission_leaves_no_link():
    refused, permitted = scheduled(recording=False), scheduled(recording=True)
    for meeting in (refused, permitted):
        meeting.record_recording("https://zoom.example/rec/1", NINE + timedelta(hours=3))
    assert refused.recording_url is None and not any(isinstance(e, RecordingCompleted) for e in refused.pending)
    assert permitted.recording_url == "https://zoom.example/rec/1"


def test_the_report_uses_the_recorded_start_and_end_and_the_booked_operators():
    meeting = scheduled(recording=True)
    meeting.book("pro-1", hours(-1, 3), operators=["op-1", "op-2"])
    meeting.record_started(NINE, "provider")
    meeting.record_ended(NINE + timedelta(hours=2), "operator")
    meeting.record_recording("https://zoom.example/rec/1", NINE + timedelta(hours=3))

    meeting.record_held(None, None, attendance=41, leading_official="Sekretaris Daerah", recording_kept=True)

    report = meeting.pending[-1]
    assert (report.started_at, report.ended_at, report.attendance) == (NINE, NINE + timedelta(hours=2), 41)
    assert report.officers_on_duty == ["op-1", "op-2"] and report.held_on == NINE.date()
    assert report.recording_url == "https://zoom.example/rec/1" and report.leading_official == "Sekretaris Daerah"


def test_a_cancelled_meeting_cannot_be_made_ready():
    meeting = scheduled()
    meeting.cancel("permohonan ditarik")
    with pytest.raises(DomainRuleBroken, match="sudah dibatalkan"):
        meeting.mark_ready(["jaringan"], [], NINE)
