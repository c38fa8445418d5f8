"""Penugasan petugas: who and what can go to a meeting, and what already holds them at its time."""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import asyncpg

from provisioning.adapters import bookings, resources
from provisioning.domain.meeting import Meeting

KINDS = (("operator", "operators", "user_id"), ("kit", "kits", "kit_id"), ("venue", "venues", "venue_id"))


@dataclass
class Choice:
    """One operator, kit or venue: free, or held by other meetings at this time (`busy`), or off duty."""

    resource_id: str
    label: str
    chosen: bool
    busy: list[str] = field(default_factory=list)
    off_duty: bool = False


async def crew_choices(
    conn: asyncpg.Connection, tenant: str, meeting: Meeting, zone: ZoneInfo
) -> dict[str, list[Choice]]:
    """Every active operator, kit and venue, each with the other meetings booked over this one's window."""
    chosen = {"operator": set(meeting.operators), "kit": {meeting.kit_id}, "venue": {meeting.venue_id}}
    day = meeting.starts_at.astimezone(zone).date()
    found = {}
    for kind, listing, id_column in KINDS:
        held = [
            h
            for h in await bookings.held(conn, tenant, kind, meeting.window)
            if h.request_id != meeting.id and h.window.overlaps(meeting.window)
        ]
        names = await bookings.event_names(conn, [h.request_id for h in held])
        choices = []
        for item in (i for i in await resources.listed(conn, tenant, listing) if i["active"]):
            resource = item[id_column]
            busy = [
                f"{names.get(h.request_id, 'rapat lain')} ({h.window.starts.astimezone(zone):%H.%M}–"
                f"{h.window.ends.astimezone(zone):%H.%M})"
                for h in held
                if h.resource_id == resource
            ]
            person = await resources.operator(conn, tenant, resource) if kind == "operator" else None
            choices.append(
                Choice(
                    resource,
                    item.get("name") or resource,
                    resource in chosen[kind],
                    busy,
                    bool(person and not person.available_on(day)),
                )
            )
        found[kind] = choices
    return found
