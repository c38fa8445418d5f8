"""Issue 12, gap 4: a corrected execution report is what the recap counts (participants, and the month of
the meeting when its start moved), and what the register row shows."""

from datetime import datetime
from zoneinfo import ZoneInfo

from reporting.adapters.projections import register_projection, usage_projection
from reporting.domain.register import outcome
from shared.config import REPO_ROOT
from shared.events import envelope_for
from shared.events.contracts.provisioning import ExecutionReportCorrected, MeetingHeld
from shared.projections.counters import total
from shared.tenants import load_tenants

WITA = ZoneInfo("Asia/Makassar")
USAGE = usage_projection(load_tenants(REPO_ROOT / "tenants"))
HELD_AT = datetime(2026, 11, 30, 9, 0, tzinfo=WITA)


def envelope(event) -> dict:
    return envelope_for(
        event, tenant="kaltara", subject="vidcon.kaltara.provisioning.x", stream_version=1, correlation_id="c"
    ).model_dump(mode="json")


def held() -> MeetingHeld:
    return MeetingHeld(
        request_id="r1",
        meeting_id="m1",
        started_at=HELD_AT,
        ended_at=HELD_AT.replace(hour=11),
        attendance=30,
        venue="Ruang Rapat Bappeda",
    )


def corrected(started_at: datetime, attendance: int) -> ExecutionReportCorrected:
    return ExecutionReportCorrected(
        request_id="r1",
        meeting_id="m1",
        started_at=started_at,
        ended_at=started_at.replace(hour=11),
        attendance=attendance,
        venue="Aula Gubernuran",
        previous_started_at=HELD_AT,
        previous_attendance=30,
        reason="peserta daring belum dihitung",
        corrected_by="operator@kaltara",
        corrected_at=HELD_AT,
    )


def figures(*events) -> dict:
    folded = total(pair for event in events for pair in USAGE.deltas(envelope(event)))
    return {key: value for key, value in USAGE.rolled_up(folded).items() if value and key[1] == "month"}


def test_a_corrected_attendance_replaces_the_filed_one_in_the_month():
    assert figures(held(), corrected(HELD_AT, 42)) == {
        ("kaltara", "month", "2026-11", "meetings_held"): 1,
        ("kaltara", "month", "2026-11", "participants"): 42,
    }


def test_a_corrected_start_in_another_month_moves_the_meeting_and_its_participants():
    assert figures(held(), corrected(datetime(2026, 12, 1, 9, 0, tzinfo=WITA), 42)) == {
        ("kaltara", "month", "2026-12", "meetings_held"): 1,
        ("kaltara", "month", "2026-12", "participants"): 42,
    }


def test_the_register_row_shows_the_corrected_report():
    projection = register_projection()
    row: dict = {}
    for event in (held(), corrected(HELD_AT, 42)):
        for _, patch in projection.patches(envelope(event)):
            row |= patch
    assert (row["attendance"], row["report_venue"], outcome(row)) == (42, "Aula Gubernuran", "held")
    assert row["report_corrected_at"]
