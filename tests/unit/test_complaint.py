"""Pengaduan: deadlines by kind in working days, and the met/missed figure when resolved.

Holidays come from the `holidays` package (0.109 data): 2026-12-24 cuti bersama Natal,
2026-12-25 Natal, 2027-01-01 Tahun Baru, 2027-01-05 Isra Mi'raj.
"""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from complaints.domain.complaint import Complaint
from shared.config import REPO_ROOT
from shared.events.contracts import ComplaintReceived, ComplaintResolved
from shared.http import DomainRuleBroken
from shared.tenants import load_tenants

TENANTS = load_tenants(REPO_ROOT / "tenants")
PURBALINGGA = TENANTS["purbalingga"]
WIB = ZoneInfo("Asia/Jakarta")
CHRISTMAS_EVE_1000 = datetime(2026, 12, 24, 10, 0, tzinfo=WIB)  # Thursday, cuti bersama
# Clock starts at the next opening, Mon 2026-12-28 08:00. Working days after it: Tue 29, Wed 30,
# Thu 31, (Fri 1 Jan closed, weekend), Mon 4 Jan, (Tue 5 Jan Isra Mi'raj), Wed 6 Jan: same time 08:00.
LIGHT_DUE = datetime(2027, 1, 6, 8, 0, tzinfo=WIB)


def receive(kind: str = "light", received_at: datetime = CHRISTMAS_EVE_1000, tenant: str = "purbalingga"):
    profile = TENANTS[tenant]
    return Complaint.receive("cmp-1", tenant, kind, profile.complaint_deadlines, profile.calendar(),
                             received_at, channel="whatsapp", complainant_ref="pelapor-ref-1")


def test_the_calendar_facts_the_deadline_rests_on():
    calendar = PURBALINGGA.calendar()
    closed = ["2026-12-24", "2026-12-25", "2026-12-26", "2026-12-27", "2027-01-01", "2027-01-05"]
    for day in closed:
        assert not calendar.is_working_day(datetime.fromisoformat(day).date()), day
    assert calendar.next_opening(CHRISTMAS_EVE_1000) == datetime(2026, 12, 28, 8, 0, tzinfo=WIB)


def test_light_complaint_on_christmas_eve_is_due_after_five_working_days():
    complaint = receive()

    [event] = complaint.pending
    assert isinstance(event, ComplaintReceived)
    assert event.complaint_id == "cmp-1" and event.kind == "light"
    assert event.channel == "whatsapp" and event.complainant_ref == "pelapor-ref-1"
    assert event.received_at == CHRISTMAS_EVE_1000
    assert event.due_at == LIGHT_DUE
    assert event.due_at.utcoffset().total_seconds() == 7 * 3600  # shown in WIB


def test_supervisory_complaint_gets_sixty_working_days():
    received = datetime(2026, 3, 2, 9, 30, tzinfo=WIB)  # Monday
    event = receive("supervisory", received).pending[0]
    calendar = PURBALINGGA.calendar()

    assert event.due_at > received
    assert event.due_at.time().isoformat() == "09:30:00"
    # exactly 60 working days apart: the day count between them skips only closed days
    days, day = 0, received.date()
    while day < event.due_at.date():
        day = day.fromordinal(day.toordinal() + 1)
        days += calendar.is_working_day(day)
    assert days == 60


def test_unknown_kind_is_refused_listing_the_kinds():
    with pytest.raises(DomainRuleBroken) as refused:
        receive("urgent")

    assert refused.value.field == "kind"
    assert refused.value.status == 422
    assert refused.value.message == (
        "jenis pengaduan harus salah satu dari: light, normative, not_supervisory, supervisory")


def test_resolved_on_time_has_positive_margin():
    complaint = receive()
    complaint.resolve(PURBALINGGA.complaint_deadlines, PURBALINGGA.calendar(),
                      datetime(2027, 1, 4, 15, 0, tzinfo=WIB))

    resolved = complaint.pending[-1]
    assert isinstance(resolved, ComplaintResolved)
    assert resolved.timing.step == "light"
    assert resolved.timing.met_standard is True
    assert resolved.timing.margin_minutes == 60  # Mon 15:00 -> 16:00 close; Tue closed; due Wed 08:00


def test_resolved_late_misses_the_standard_with_negative_margin():
    complaint = receive()
    complaint.resolve(PURBALINGGA.complaint_deadlines, PURBALINGGA.calendar(),
                      datetime(2027, 1, 6, 10, 30, tzinfo=WIB))

    resolved = complaint.pending[-1]
    assert resolved.timing.started_at == CHRISTMAS_EVE_1000
    assert resolved.timing.due_at == LIGHT_DUE
    assert resolved.timing.met_standard is False
    assert resolved.timing.margin_minutes == -150


def test_resolving_twice_is_refused():
    complaint = receive()
    calendar, deadlines = PURBALINGGA.calendar(), PURBALINGGA.complaint_deadlines
    complaint.resolve(deadlines, calendar, datetime(2026, 12, 29, 9, 0, tzinfo=WIB))

    with pytest.raises(DomainRuleBroken) as refused:
        complaint.resolve(deadlines, calendar, datetime(2026, 12, 30, 9, 0, tzinfo=WIB))

    assert (refused.value.field, refused.value.message, refused.value.status) == (
        "complaint_id", "pengaduan sudah diselesaikan", 409)
    assert [type(e) for e in complaint.pending] == [ComplaintReceived, ComplaintResolved]


def test_rehydrated_complaint_resolves_against_its_received_time_and_kind():
    history = receive("not_supervisory").pending
    complaint = Complaint.rehydrate("cmp-1", "purbalingga", history)

    complaint.resolve(PURBALINGGA.complaint_deadlines, PURBALINGGA.calendar(),
                      datetime(2027, 1, 6, 8, 0, tzinfo=WIB))

    timing = complaint.pending[-1].timing
    assert complaint.version == 1
    assert timing.step == "not_supervisory"
    assert timing.started_at == CHRISTMAS_EVE_1000
    # 14 working days from Mon 28 Dec: 29, 30, 31, 4, 6, 7, 8, 11, 12, 13, 14, 15, 18, 19 Jan.
    assert timing.due_at == datetime(2027, 1, 19, 8, 0, tzinfo=WIB)
    assert timing.met_standard is True
