"""Who may subscribe to which meetings, and what their calendar app reads."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from icalendar import Calendar

from provisioning.adapters.ics import calendar_of
from provisioning.domain.calendar_feed import Booked, Scope, entry_of, scopes_for
from provisioning.domain.meeting import Meeting
from shared.auth.identity import Role

STARTS = datetime(2026, 12, 8, 1, 30, tzinfo=timezone.utc)


def booked(meeting: Meeting | None = None, **overrides) -> Booked:
    values = dict(
        request_id="r-1",
        event_name="Rapat Koordinasi RKPD",
        starts_at=STARTS,
        ends_at=STARTS + timedelta(hours=2),
        venue="Ruang Rapat Bappeda",
        online_only=False,
        meeting=meeting,
    )
    return Booked(**{**values, **overrides})


def test_each_role_follows_its_own_meetings():
    assert scopes_for(frozenset({Role.REQUESTER}), "Bappeda") == [Scope.AGENCY]
    assert scopes_for(frozenset({Role.REQUESTER}), None) == [], "a requester without an agency has no agency"
    assert scopes_for(frozenset({Role.OPERATOR}), None) == [Scope.DUTIES]
    assert scopes_for(frozenset({Role.TECHNICAL_TEAM, Role.OPERATOR}), None) == [Scope.DUTIES, Scope.ALL]
    assert scopes_for(frozenset({Role.VERIFIER}), None) == []


def test_a_meeting_without_its_link_yet_says_so_and_a_cancelled_one_is_cancelled():
    waiting = entry_of(booked())
    assert waiting.description == "Tautan rapat sedang disiapkan." and waiting.location == "Ruang Rapat Bappeda"
    meeting = Meeting("r-1", "kaltara")
    meeting.cancelled = True
    assert entry_of(booked(meeting, online_only=True)).cancelled
    assert entry_of(booked(meeting, online_only=True)).location == "Daring"


def test_the_feed_is_an_icalendar_document_calendar_apps_read():
    body = calendar_of("Rapat instansi Anda — Kaltara", [entry_of(booked())], STARTS)
    calendar = Calendar.from_ical(body)
    assert str(calendar["x-wr-calname"]) == "Rapat instansi Anda — Kaltara"
    [event] = calendar.walk("VEVENT")
    assert str(event["uid"]) == "r-1@vidcon" and str(event["summary"]) == "Rapat Koordinasi RKPD"
    assert event.decoded("dtstart") == STARTS and event.decoded("dtend") == STARTS + timedelta(hours=2)
    assert str(event["status"]) == "CONFIRMED"
