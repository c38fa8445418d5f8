"""Calendar feeds: who may subscribe to which meetings, and what a subscriber's calendar shows.

A requesting agency's staff follow their agency's meetings; an operator follows the meetings
they are on duty for; the technical team and the department's officials follow every meeting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from provisioning.domain.meeting import Meeting
from shared.tenants.vocabulary import Role


class Scope(StrEnum):
    AGENCY = "agency"
    DUTIES = "duties"
    ALL = "all"


SCOPE_TITLES = {
    Scope.AGENCY: "Rapat instansi Anda",
    Scope.DUTIES: "Tugas operator Anda",
    Scope.ALL: "Semua rapat dinas",
}
EVERY_MEETING = frozenset(
    {Role.TECHNICAL_TEAM, Role.HEAD_OF_DIVISION, Role.HEAD_OF_DEPARTMENT, Role.LEADER, Role.TENANT_ADMIN}
)
SUBSCRIBERS = EVERY_MEETING | {Role.REQUESTER, Role.OPERATOR}


def scopes_for(roles: frozenset[Role], agency: str | None) -> list[Scope]:
    scopes = []
    if Role.REQUESTER in roles and agency:
        scopes.append(Scope.AGENCY)
    if Role.OPERATOR in roles:
        scopes.append(Scope.DUTIES)
    if roles & EVERY_MEETING:
        scopes.append(Scope.ALL)
    return scopes


@dataclass(frozen=True)
class FeedEntry:
    uid: str
    summary: str
    starts_at: datetime
    ends_at: datetime
    location: str
    description: str
    url: str | None
    cancelled: bool


@dataclass(frozen=True)
class Booked:
    """An approved request as provisioning remembers it, with its meeting once there is one."""

    request_id: str
    event_name: str
    starts_at: datetime
    ends_at: datetime
    venue: str | None
    online_only: bool
    meeting: Meeting | None


def entry_of(booked: Booked) -> FeedEntry:
    """What a calendar shows of one meeting: its time, place, link and state, no person's name."""
    meeting = booked.meeting
    place = "Daring" if booked.online_only else (booked.venue or "Lokasi belum ditentukan")
    cancelled = bool(meeting and (meeting.cancelled or meeting.failed))
    if cancelled:
        note = "Rapat dibatalkan atau tidak terlaksana."
    elif meeting and meeting.join_url:
        note = f"Tautan rapat: {meeting.join_url}"
    else:
        note = "Tautan rapat sedang disiapkan."
    return FeedEntry(
        uid=f"{booked.request_id}@vidcon",
        summary=booked.event_name,
        starts_at=booked.starts_at,
        ends_at=booked.ends_at,
        location=place,
        description=note,
        url=meeting.join_url if meeting and not cancelled else None,
        cancelled=cancelled,
    )
