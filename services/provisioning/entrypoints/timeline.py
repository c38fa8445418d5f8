"""The schedule page's timeline: one track per resource, bars placed in percent of the shown hours."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from provisioning.service_layer.daily import Day
from shared.calendar import Weekday

OFFICE_HOURS = (time(8), time(16))
KINDS = [
    ("accounts", "account", "Akun host"),
    ("operators", "operator", "Operator"),
    ("kits", "kit", "Perlengkapan"),
    ("venues", "venue", "Lokasi"),
]
ID_COLUMN = {"account": "account_id", "operator": "user_id", "kit": "kit_id", "venue": "venue_id"}


@dataclass(frozen=True)
class Bar:
    request_id: str
    event_name: str
    times: str
    left: float
    width: float


@dataclass
class Track:
    label: str
    bars: list[Bar] = field(default_factory=list)


@dataclass(frozen=True)
class Section:
    title: str
    tracks: list[Track]


@dataclass(frozen=True)
class Span:
    starts: datetime
    ends: datetime

    @property
    def hours(self) -> list[tuple[str, float]]:
        count = int((self.ends - self.starts) / timedelta(hours=1))
        return [
            (f"{(self.starts + timedelta(hours=h)):%H}", self.percent(self.starts + timedelta(hours=h)))
            for h in range(count)
        ]

    def percent(self, moment: datetime) -> float:
        moment = min(max(moment, self.starts), self.ends)
        return round(100 * (moment - self.starts) / (self.ends - self.starts), 2)


def span_of(day: Day, opening_hours: dict) -> Span:
    """The working hours of the day, widened to whole hours around every booking."""
    hours = opening_hours.get(Weekday(day.day.weekday()))
    opens, closes = (hours.start, hours.end) if hours else OFFICE_HOURS
    midnight = datetime.combine(day.day, time(0), tzinfo=day.zone)
    starts = min(
        [datetime.combine(day.day, opens, tzinfo=day.zone)]
        + [row["starts"].astimezone(day.zone) for row in day.bookings]
    )
    ends = max(
        [datetime.combine(day.day, closes, tzinfo=day.zone)]
        + [row["ends"].astimezone(day.zone) for row in day.bookings]
    )
    starts = max(starts.replace(minute=0, second=0, microsecond=0), midnight)
    whole = ends.replace(minute=0, second=0, microsecond=0)
    ends = min(whole if whole == ends else whole + timedelta(hours=1), midnight + timedelta(days=1))
    return Span(starts, ends)


def _track_key(row: dict, seats: dict[str, int]) -> str:
    if row["kind"] == "account" and seats.get(row["resource_id"], 1) > 1:
        return f"{row['resource_id']} · kursi {row['slot']}"
    return row["resource_id"]


def _bar(row: dict, day: Day, span: Span) -> Bar:
    meeting = day.meetings[row["request_id"]].meeting
    left = span.percent(row["starts"])
    times = f"{meeting.starts_at.astimezone(day.zone):%H.%M}–{meeting.ends_at.astimezone(day.zone):%H.%M}"
    return Bar(meeting.id, day.meetings[meeting.id].event_name, times, left, max(span.percent(row["ends"]) - left, 1.0))


def _free_tracks(kind: str, items: list[dict], seats: dict[str, int]) -> dict[str, Track]:
    tracks = {}
    for item in (i for i in items if i["active"]):
        resource = item[ID_COLUMN[kind]]
        for seat in range(1, (seats.get(resource, 1) if kind == "account" else 1) + 1):
            key = _track_key({"kind": kind, "resource_id": resource, "slot": seat}, seats)
            tracks[key] = Track(key)
    return tracks


def sections(day: Day, span: Span, resources: dict[str, list[dict]]) -> list[Section]:
    """Every active resource gets a track (an empty track is a free resource); seats of a Business account apart."""
    seats = {a["account_id"]: a["concurrent_meetings"] for a in resources["accounts"]}
    found = []
    for listing, kind, title in KINDS:
        tracks = _free_tracks(kind, resources[listing], seats)
        for row in (r for r in day.bookings if r["kind"] == kind):
            key = _track_key(row, seats)
            tracks.setdefault(key, Track(key)).bars.append(_bar(row, day, span))
        if tracks:
            found.append(Section(title, list(tracks.values())))
    return found
