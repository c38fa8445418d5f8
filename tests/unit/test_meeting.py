"""A facilitated meeting: scheduled, made ready (peralatan siap), held and reported."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from provisioning.domain.meeting import Meeting
from shared.events.contracts import EquipmentReady, MeetingHeld, MeetingScheduled
from shared.http import DomainRuleBroken

WITA = ZoneInfo("Asia/Makassar")
STARTS = datetime(2026, 12, 3, 9, 0, tzinfo=WITA)
ENDS = datetime(2026, 12, 3, 11, 0, tzinfo=WITA)


def scheduled() -> Meeting:
    return Meeting.schedule(
        "kaltara",
        MeetingScheduled(
            request_id="req-1",
            meeting_id="85012345678",
            provider="zoom",
            host_account="pro-1",
            starts_at=STARTS,
            ends_at=ENDS,
            join_url="https://zoom.example/j/85012345678",
            passcode="Xy12ab",
        ),
    )


def test_ready_records_checklist_and_what_the_requester_supplies():
    meeting = scheduled()
    at = datetime(2026, 12, 2, 15, 0, tzinfo=WITA)

    meeting.mark_ready(["Jaringan internet", "Uji coba vidcon"], ["Kabel HDMI"], at)

    ready = meeting.pending[-1]
    assert isinstance(ready, EquipmentReady)
    assert (ready.request_id, ready.meeting_id) == ("req-1", "85012345678")
    assert ready.checklist == ["Jaringan internet", "Uji coba vidcon"]
    assert ready.requester_supplies == ["Kabel HDMI"]
    assert ready.ready_at == at


def test_ready_twice_is_refused():
    meeting = scheduled()
    meeting.mark_ready(["Jaringan internet"], [], datetime(2026, 12, 2, 15, 0, tzinfo=WITA))

    with pytest.raises(DomainRuleBroken) as refused:
        meeting.mark_ready(["Jaringan internet"], [], datetime(2026, 12, 2, 15, 30, tzinfo=WITA))

    assert (refused.value.field, refused.value.message, refused.value.status) == (
        "meeting",
        "peralatan sudah dinyatakan siap",
        409,
    )
    assert [type(e) for e in meeting.pending] == [MeetingScheduled, EquipmentReady]


def test_held_with_end_before_start_is_refused_naming_ended_at():
    meeting = scheduled()

    with pytest.raises(DomainRuleBroken) as refused:
        meeting.record_held(STARTS, datetime(2026, 12, 3, 8, 30, tzinfo=WITA), 40, "", False)

    assert refused.value.field == "ended_at"
    assert refused.value.message == "waktu selesai harus setelah waktu mulai"
    assert refused.value.status == 422
    assert meeting.held is False and len(meeting.pending) == 1


def test_held_is_recorded_with_attendance():
    meeting = scheduled()
    meeting.record_held(
        datetime(2026, 12, 3, 9, 5, tzinfo=WITA),
        datetime(2026, 12, 3, 11, 20, tzinfo=WITA),
        attendance=57,
        problems="Audio narasumber putus 5 menit",
        recording_kept=True,
    )

    held = meeting.pending[-1]
    assert isinstance(held, MeetingHeld)
    assert held.meeting_id == "85012345678"
    assert held.attendance == 57
    assert held.started_at == datetime(2026, 12, 3, 9, 5, tzinfo=WITA)
    assert held.ended_at == datetime(2026, 12, 3, 11, 20, tzinfo=WITA)
    assert held.problems == "Audio narasumber putus 5 menit" and held.recording_kept is True


def test_report_twice_is_refused():
    meeting = scheduled()
    meeting.record_held(STARTS, ENDS, 10, "", False)

    with pytest.raises(DomainRuleBroken, match="laporan pelaksanaan sudah dibuat"):
        meeting.record_held(STARTS, ENDS, 12, "", False)
    assert meeting.pending[-1].attendance == 10


def test_rehydrated_meeting_keeps_its_meeting_id_and_ready_state():
    original = scheduled()
    original.mark_ready(["Ruang rapat"], [], datetime(2026, 12, 2, 15, 0, tzinfo=WITA))

    rebuilt = Meeting.rehydrate("req-1", "kaltara", original.pending)

    assert rebuilt.version == 2 and rebuilt.meeting_id == "85012345678"
    with pytest.raises(DomainRuleBroken, match="sudah dinyatakan siap"):
        rebuilt.mark_ready(["Ruang rapat"], [], datetime(2026, 12, 2, 16, 0, tzinfo=WITA))
    rebuilt.record_held(STARTS, ENDS, 30, "", False)
    assert rebuilt.pending[-1].meeting_id == "85012345678"


def test_a_booked_meeting_has_its_link_being_made_until_the_provider_answers():
    from provisioning.domain.resources import Window
    from provisioning.entrypoints.views import link_status

    meeting = Meeting("req-2", "kaltara")
    meeting.book("pro-1", Window(STARTS, ENDS))
    assert meeting.link_being_made and meeting.waiting_for_link and link_status(meeting) == "sedang dibuat"

    meeting.record_scheduled(
        "zoom", "pro-1@kaltara.test", "85012345679", "https://zoom.example/j/85012345679", "Xy12ab", STARTS, ENDS, False
    )
    assert not meeting.link_being_made and link_status(meeting) == "tersedia"

    meeting.cancel("acara batal")
    assert meeting.closed and link_status(meeting) is None
