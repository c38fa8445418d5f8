"""Feed entries as an iCalendar document (RFC 5545), with the `icalendar` package."""

from __future__ import annotations

from datetime import datetime, timedelta

from icalendar import Calendar, Event

from provisioning.domain.calendar_feed import FeedEntry

PRODUCT = "-//Vidcon//Layanan Fasilitasi Video Conference//ID"
REFRESH = timedelta(hours=1)


def calendar_of(name: str, entries: list[FeedEntry], now: datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", REFRESH)
    for entry in entries:
        calendar.add_component(_event(entry, now))
    return calendar.to_ical()


def _event(entry: FeedEntry, now: datetime) -> Event:
    event = Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", now)
    event.add("dtstart", entry.starts_at)
    event.add("dtend", entry.ends_at)
    event.add("summary", entry.summary)
    event.add("location", entry.location)
    event.add("description", entry.description)
    event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
    if entry.url:
        event.add("url", entry.url)
    return event
