"""Pengaduan as Purbalingga's flow draws it: received, classified by kind (the deadline in
working days from receipt), handed to the team, answered, closed, reopened.

Holidays come from the `holidays` package (0.109 data): 2026-12-24 cuti bersama Natal,
2026-12-25 Natal, 2027-01-01 Tahun Baru, 2027-01-05 Isra Mi'raj.
"""

from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from complaints.domain.complaint import Complaint
from shared.config import REPO_ROOT
from shared.events import decode, event_type
from shared.events.contracts.complaints import (
    ComplaintAnswered,
    ComplaintAssigned,
    ComplaintClassified,
    ComplaintReceived,
    ComplaintReopened,
    ComplaintResolved,
)
from shared.http import DomainRuleBroken
from shared.tenants import load_tenants

TENANTS = load_tenants(REPO_ROOT / "tenants")
PURBALINGGA = TENANTS["purbalingga"]
DEADLINES, CALENDAR = PURBALINGGA.complaint_deadlines, PURBALINGGA.calendar()
WIB = ZoneInfo("Asia/Jakarta")
CHRISTMAS_EVE_1000 = datetime(2026, 12, 24, 10, 0, tzinfo=WIB)  # Thursday, cuti bersama
# Clock starts at the next opening, Mon 2026-12-28 08:00. Working days after it: Tue 29, Wed 30,
# Thu 31, (Fri 1 Jan closed, weekend), Mon 4 Jan, (Tue 5 Jan Isra Mi'raj), Wed 6 Jan: same time 08:00.
LIGHT_DUE = datetime(2027, 1, 6, 8, 0, tzinfo=WIB)
# 14 working days from Mon 28 Dec: 29, 30, 31, 4, 6, 7, 8, 11, 12, 13, 14, 15, 18, 19 Jan.
NOT_SUPERVISORY_DUE = datetime(2027, 1, 19, 8, 0, tzinfo=WIB)


def at(day: str, time: str = "09:00") -> datetime:
    return datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=WIB)


def receive(received_at: datetime = CHRISTMAS_EVE_1000, category: str = "complaint", **details) -> Complaint:
    return Complaint.receive(
        "cmp-1",
        "purbalingga",
        received_at,
        category=category,
        deadlines=DEADLINES,
        calendar=CALENDAR,
        tracking_code="ABCD2345",
        channel="web_form",
        complainant_ref="pelapor-ref-1",
        **details,
    )


def classified(kind: str = "light") -> Complaint:
    complaint = receive()
    complaint.classify(kind, DEADLINES, CALENDAR, "complaints_officer@purbalingga", at("2026-12-28"))
    return complaint


def answered(kind: str = "light", when: datetime = at("2027-01-04")) -> Complaint:
    complaint = classified(kind)
    complaint.assign(None, "complaints_officer@purbalingga", at("2026-12-28", "10:00"))
    complaint.answer("answer-ref-1", "complaints_team@purbalingga", when)
    return complaint


def test_the_calendar_facts_the_deadline_rests_on():
    closed = ["2026-12-24", "2026-12-25", "2026-12-26", "2026-12-27", "2027-01-01", "2027-01-05"]
    for day in closed:
        assert not CALENDAR.is_working_day(datetime.fromisoformat(day).date()), day
    assert CALENDAR.next_opening(CHRISTMAS_EVE_1000) == datetime(2026, 12, 28, 8, 0, tzinfo=WIB)


def test_a_complaint_from_the_public_page_waits_for_its_kind_and_has_no_deadline_yet():
    complaint = receive()

    [event] = complaint.pending
    assert isinstance(event, ComplaintReceived)
    assert (event.category, event.kind, event.due_at, event.tracking_code) == ("complaint", None, None, "ABCD2345")
    assert complaint.status == "received"


@pytest.mark.parametrize(
    "kind, due",
    [
        ("light", LIGHT_DUE),
        ("normative", LIGHT_DUE),
        ("not_supervisory", NOT_SUPERVISORY_DUE),
        # 60 working days, skipping also 5 Feb (Imlek cuti bersama), 8 Mar (Nyepi), 9-12 and 15 Mar
        # (Idul Fitri and its cuti bersama), 25-26 Mar (Good Friday and its cuti bersama)
        ("supervisory", datetime(2027, 4, 6, 8, 0, tzinfo=WIB)),
    ],
)
def test_the_kind_sets_the_deadline_in_working_days_from_receipt_across_weekend_and_cuti_bersama(kind, due):
    complaint = classified(kind)

    event = complaint.pending[-1]
    assert isinstance(event, ComplaintClassified)
    assert event.due_at == due and event.due_at.utcoffset().total_seconds() == 7 * 3600
    assert complaint.status == "classified"


def test_sixty_working_days_skip_only_closed_days():
    due = classified("supervisory").due_at
    days, day = 0, datetime(2026, 12, 28).date()
    while day < due.date():
        day = day.fromordinal(day.toordinal() + 1)
        days += CALENDAR.is_working_day(day)
    assert days == 60


def test_working_days_left_count_only_working_days_and_go_negative_when_late():
    assert CALENDAR.working_days_left(at("2026-12-24"), LIGHT_DUE) == 6  # 28, 29, 30, 31 December, 4 and 6 January
    assert CALENDAR.working_days_left(at("2026-12-31"), LIGHT_DUE) == 2  # 4 and 6 January
    assert CALENDAR.working_days_left(at("2027-01-06", "07:00"), LIGHT_DUE) == 0
    assert CALENDAR.working_days_left(at("2027-01-11"), LIGHT_DUE) == -3  # 7, 8, 11 January


def test_an_officer_recording_a_complaint_may_classify_it_at_once():
    complaint = receive(kind="light", recorded_by="complaints_officer@purbalingga")

    assert complaint.pending[0].due_at == LIGHT_DUE and complaint.status == "classified"


def test_unknown_kind_is_refused_listing_the_kinds():
    with pytest.raises(DomainRuleBroken) as refused:
        classified("urgent")

    assert (refused.value.field, refused.value.status) == ("kind", 422)
    assert refused.value.message == (
        "jenis pengaduan harus salah satu dari: light, normative, not_supervisory, supervisory"
    )


def test_classifying_twice_is_refused():
    complaint = classified()
    with pytest.raises(DomainRuleBroken) as refused:
        complaint.classify("supervisory", DEADLINES, CALENDAR, "officer", at("2026-12-29"))
    assert refused.value.status == 409 and "sudah diklasifikasi sebagai pengaduan ringan" in refused.value.message


def test_an_unclassified_complaint_cannot_be_handed_on_or_answered():
    complaint = receive()
    for act in (
        lambda: complaint.assign(None, "officer", at("2026-12-28")),
        lambda: complaint.answer("ref", "officer", at("2026-12-28")),
    ):
        with pytest.raises(DomainRuleBroken) as refused:
            act()
        assert refused.value.message == "klasifikasikan pengaduan lebih dahulu"


def test_a_suggestion_is_received_without_deadline_or_handling():
    suggestion = receive(category="suggestion")
    assert suggestion.pending[0].due_at is None
    with pytest.raises(DomainRuleBroken) as refused:
        suggestion.classify("light", DEADLINES, CALENDAR, "officer", at("2026-12-28"))
    assert refused.value.message == "saran/masukan tidak ditangani sebagai pengaduan"


def test_handed_to_a_member_then_answered_then_closed_on_time():
    complaint = classified()
    complaint.assign("complaints_team@purbalingga", "complaints_officer@purbalingga", at("2026-12-28", "10:00"))
    complaint.answer("answer-ref-1", "complaints_team@purbalingga", at("2027-01-04", "14:00"))
    complaint.close(DEADLINES, CALENDAR, "complaints_officer@purbalingga", at("2027-01-04", "15:00"))

    assigned, answered_, resolved = complaint.pending[-3:]
    assert isinstance(assigned, ComplaintAssigned) and assigned.assignee == "complaints_team@purbalingga"
    assert isinstance(answered_, ComplaintAnswered) and answered_.answer_ref == "answer-ref-1"
    assert isinstance(resolved, ComplaintResolved)
    assert resolved.timing.step == "light" and resolved.timing.met_standard is True
    assert resolved.timing.margin_minutes == 60  # Mon 15:00 -> 16:00 close; Tue closed; due Wed 08:00
    assert complaint.status == "closed"


def test_closed_late_misses_the_standard_with_negative_margin():
    complaint = answered(when=at("2027-01-06", "10:00"))
    complaint.close(DEADLINES, CALENDAR, "officer", at("2027-01-06", "10:30"))

    timing = complaint.pending[-1].timing
    assert timing.started_at == CHRISTMAS_EVE_1000 and timing.due_at == LIGHT_DUE
    assert timing.met_standard is False and timing.margin_minutes == -150


def test_closing_before_the_answer_or_twice_is_refused():
    complaint = classified()
    with pytest.raises(DomainRuleBroken) as early:
        complaint.close(DEADLINES, CALENDAR, "officer", at("2026-12-29"))
    assert early.value.message == "pengaduan baru dapat ditutup setelah dijawab"
    complaint = answered()
    complaint.close(DEADLINES, CALENDAR, "officer", at("2027-01-04", "10:00"))
    with pytest.raises(DomainRuleBroken) as twice:
        complaint.close(DEADLINES, CALENDAR, "officer", at("2027-01-04", "11:00"))
    assert (twice.value.field, twice.value.message, twice.value.status) == (
        "complaint_id",
        "pengaduan sudah diselesaikan",
        409,
    )


def test_reopened_by_the_complainant_it_gets_a_new_deadline_from_the_reopening():
    complaint = answered()
    complaint.close(DEADLINES, CALENDAR, "officer", at("2027-01-04", "10:00"))
    complaint.reopen(DEADLINES, CALENDAR, at("2027-01-08", "09:00"))  # Friday

    reopened = complaint.pending[-1]
    assert isinstance(reopened, ComplaintReopened) and reopened.reopened_by is None
    assert reopened.due_at == at("2027-01-15", "09:00")  # 11, 12, 13, 14, 15 January
    assert complaint.status == "reopened"
    complaint.answer("answer-ref-2", "officer", at("2027-01-12"))
    complaint.close(DEADLINES, CALENDAR, "officer", at("2027-01-12", "10:00"))
    assert complaint.pending[-1].timing.started_at == at("2027-01-08")


def test_only_an_answered_complaint_can_be_reopened():
    with pytest.raises(DomainRuleBroken) as refused:
        classified().reopen(DEADLINES, CALENDAR, at("2026-12-29"))
    assert refused.value.status == 409


def test_a_v1_complaint_from_older_history_reads_classified_and_resolves_against_its_receipt():
    v1 = {
        "complaint_id": "cmp-1",
        "kind": "not_supervisory",
        "channel": "phone",
        "complainant_ref": "ref",
        "received_at": CHRISTMAS_EVE_1000.isoformat(),
        "due_at": NOT_SUPERVISORY_DUE.isoformat(),
    }
    envelope = SimpleNamespace(type=event_type("complaint.received", 1), data=v1)
    complaint = Complaint.rehydrate("cmp-1", "purbalingga", [decode(envelope)])

    assert (complaint.kind, complaint.status, complaint.due_at) == (
        "not_supervisory",
        "classified",
        NOT_SUPERVISORY_DUE,
    )
