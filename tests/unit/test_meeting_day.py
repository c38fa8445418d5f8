"""Issue 12, gaps 2, 4 and 6 without I/O: ready only with checks and crew; the operator's start and end held
to the schedule; the report takes its own prefilled times; a filed report corrected as an event."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from provisioning.domain.meeting import Meeting
from provisioning.domain.readiness import required_checks
from provisioning.domain.report import ExecutionReport
from provisioning.domain.resources import Window
from shared.domain import DomainRuleBroken
from shared.events.contracts.provisioning import EquipmentReady, ExecutionReportCorrected

WITA = ZoneInfo("Asia/Makassar")
NINE = datetime(2026, 12, 3, 9, 0, tzinfo=WITA)
ONLINE = required_checks(online_only=True)


def scheduled() -> Meeting:
    meeting = Meeting("req-1", "kaltara")
    meeting.book("pro-1", Window(NINE - timedelta(minutes=30), NINE + timedelta(hours=2, minutes=30)))
    meeting.record_scheduled(
        "zoom", "p@x", "8501", "https://zoom.example/j/8501", "abc", NINE, NINE + timedelta(hours=2), False
    )
    return meeting


def test_checks_without_crew_do_not_make_the_meeting_ready_and_the_crew_then_does():
    meeting = scheduled()
    for check in ONLINE:
        meeting.record_check(check, "operator@kaltara", "", NINE - timedelta(hours=2), ONLINE)
    assert not meeting.ready and not any(isinstance(e, EquipmentReady) for e in meeting.pending)

    meeting.assign_crew(["operator@kaltara"], "kit-1", None, ONLINE, NINE - timedelta(hours=1))

    assert meeting.ready and isinstance(meeting.pending[-1], EquipmentReady)


def test_a_crew_before_the_checks_does_not_make_the_meeting_ready():
    meeting = scheduled()
    meeting.assign_crew(["operator@kaltara"], None, None, ONLINE, NINE - timedelta(hours=3))
    assert not meeting.ready


def test_the_operator_cannot_record_a_start_24_minutes_early_or_after_the_scheduled_end():
    with pytest.raises(DomainRuleBroken, match="paling awal 15 menit sebelumnya") as early:
        scheduled().record_started(NINE - timedelta(minutes=24), "operator", zone=WITA)
    assert "03-12-2026 09.00" in early.value.message and early.value.field == "started_at"
    with pytest.raises(DomainRuleBroken, match="sudah berakhir"):
        scheduled().record_started(NINE + timedelta(hours=2, minutes=1), "operator", zone=WITA)
    on_time = scheduled()
    on_time.record_started(NINE - timedelta(minutes=10), "operator", zone=WITA)
    assert on_time.started_at == NINE - timedelta(minutes=10)


def test_a_tenant_may_allow_an_earlier_start():
    meeting = scheduled()
    meeting.record_started(NINE - timedelta(minutes=24), "operator", early=timedelta(minutes=30))
    assert meeting.started_at == NINE - timedelta(minutes=24)


def test_the_end_in_the_same_minute_as_the_start_is_refused_and_zoom_is_not_held_to_the_schedule():
    meeting = scheduled()
    meeting.record_started(NINE + timedelta(seconds=5), "operator", zone=WITA)
    with pytest.raises(DomainRuleBroken, match="menit yang sama"):
        meeting.record_ended(NINE + timedelta(seconds=40), "operator", zone=WITA)
    with pytest.raises(DomainRuleBroken, match="tidak dicatat dari tombol"):
        meeting.record_ended(NINE + timedelta(hours=6), "operator", zone=WITA)
    meeting.record_ended(NINE + timedelta(hours=1, seconds=30), "operator", zone=WITA)

    provider = scheduled()
    provider.record_started(NINE - timedelta(hours=1), "provider")
    assert provider.started_at == NINE - timedelta(hours=1)


def test_the_report_accepts_its_own_prefilled_times_which_are_the_recorded_ones_to_the_minute():
    meeting = scheduled()
    meeting.assign_crew(["operator@kaltara"], None, None, ONLINE, NINE - timedelta(hours=3))
    started, ended = NINE + timedelta(seconds=27), NINE + timedelta(minutes=1, seconds=50)
    meeting.record_started(started, "operator")
    meeting.record_ended(ended, "operator")

    meeting.record_held(NINE, NINE + timedelta(minutes=1), attendance=12)  # the form's minutes

    held = meeting.pending[-1]
    assert (held.started_at, held.ended_at) == (started, ended) and held.officers_on_duty == ["operator@kaltara"]


def held_meeting() -> Meeting:
    meeting = scheduled()
    meeting.record_held(NINE, NINE + timedelta(hours=2), attendance=30, venue="Ruang Rapat Bappeda")
    return meeting


def test_a_filed_report_is_corrected_as_its_own_event_naming_what_it_replaces():
    meeting = held_meeting()
    corrected = ExecutionReport(
        42, NINE, NINE + timedelta(hours=2), venue="Ruang Rapat Bappeda", problems="Suara peserta daring putus-putus"
    )

    meeting.correct_report(
        corrected, "jumlah peserta daring belum dihitung", "operator@kaltara", NINE + timedelta(days=1)
    )

    event = meeting.pending[-1]
    assert isinstance(event, ExecutionReportCorrected)
    assert (event.attendance, event.previous_attendance, event.previous_started_at) == (42, 30, NINE)
    assert meeting.report.attendance == 42 and meeting.report.problems == "Suara peserta daring putus-putus"


def test_a_correction_needs_a_report_a_reason_and_a_change_and_keeps_the_times_in_order():
    report = ExecutionReport(30, NINE, NINE + timedelta(hours=2), venue="Ruang Rapat Bappeda")
    with pytest.raises(DomainRuleBroken, match="belum dibuat"):
        scheduled().correct_report(report, "salah ketik", "operator@kaltara", NINE)
    with pytest.raises(DomainRuleBroken, match="alasan"):
        held_meeting().correct_report(report, " ", "operator@kaltara", NINE)
    with pytest.raises(DomainRuleBroken, match="tidak ada yang diperbaiki"):
        held_meeting().correct_report(report, "salah ketik", "operator@kaltara", NINE)
    backwards = ExecutionReport(30, NINE, NINE - timedelta(minutes=5))
    with pytest.raises(DomainRuleBroken, match="setelah waktu mulai"):
        held_meeting().correct_report(backwards, "salah ketik", "operator@kaltara", NINE)
