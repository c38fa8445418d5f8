"""The technical team's day (hari ini, jadwal): the meetings of one day and every booking that touches it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import asyncpg

from provisioning.adapters import bookings
from provisioning.domain.meeting import Meeting
from provisioning.domain.readiness import required_checks
from shared.eventstore.aggregate import load


@dataclass(frozen=True)
class DayMeeting:
    meeting: Meeting
    event_name: str
    venue: str | None
    online_only: bool

    @property
    def required_checks(self) -> tuple[str, ...]:
        return required_checks(self.online_only)

    @property
    def waits_for_crew(self) -> bool:
        """Every check done, no operator yet: ready only once the crew is assigned."""
        return set(self.required_checks) <= self.meeting.checks_done and not self.meeting.operators


@dataclass(frozen=True)
class Day:
    day: date
    zone: ZoneInfo
    bookings: list[dict]
    meetings: dict[str, DayMeeting]

    def meetings_starting(self) -> list[DayMeeting]:
        """Meetings whose start falls on the day, in order of start (a booking's buffer may reach across midnight)."""
        starting = [m for m in self.meetings.values() if m.meeting.starts_at.astimezone(self.zone).date() == self.day]
        return sorted(starting, key=lambda m: m.meeting.starts_at)


async def day_of(conn: asyncpg.Connection, tenant: str, day: date, zone: ZoneInfo) -> Day:
    """Booked meetings, and those of the day that failed (tidak terlaksana: their bookings are gone)."""
    booked = await bookings.schedule_by_day(conn, tenant, day, zone)
    ids = sorted({row["request_id"] for row in booked})
    starts = datetime.combine(day, datetime.min.time(), tzinfo=zone)
    requests = await conn.fetch(
        "select request_id::text, event_name, venue, online_only from requests"
        " where request_id = any($1::uuid[]) or (tenant = $2 and starts_at >= $3"
        " and starts_at < $4)",
        ids,
        tenant,
        starts,
        starts + timedelta(days=1),
    )
    meetings = {}
    for request in requests:
        meeting = await load(conn, Meeting, request["request_id"], tenant)
        if meeting and meeting.meeting_id and (not meeting.cancelled or meeting.failed):
            meetings[meeting.id] = DayMeeting(meeting, request["event_name"], request["venue"], request["online_only"])
    return Day(day, zone, [row for row in booked if row["request_id"] in meetings], meetings)
