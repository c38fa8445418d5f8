"""Rekap: what each event adds to a tenant's monthly, quarterly and yearly figures.

An event counts in the period of the moment it describes (a meeting in the month it was
held, a decision in the month it was made), read in the tenant's own time zone.
"""
from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Callable, Iterable
from zoneinfo import ZoneInfo

from shared.events.base import current_data, type_info

DEFAULT_ZONE = "Asia/Jakarta"

METRIC_AND_MOMENT: dict[str, tuple[str, Callable[[dict], str]]] = {
    "request.submitted": ("requests_submitted", lambda d: d["submitted_at"]),
    "request.withdrawn": ("requests_withdrawn", lambda d: d["withdrawn_at"]),
    "request.amended": ("requests_amended", lambda d: d["amended_at"]),
    "request.verified": ("requests_verified", lambda d: d["timing"]["finished_at"]),
    "request.returned": ("requests_returned", lambda d: d["timing"]["finished_at"]),
    "request.disposed": ("dispositions", lambda d: d["timing"]["finished_at"]),
    "request.approved": ("requests_approved", lambda d: d["timing"]["finished_at"]),
    "request.rejected": ("requests_rejected", lambda d: d["timing"]["finished_at"]),
    "meeting.scheduled": ("meetings_scheduled", lambda d: d["starts_at"]),
    "equipment.ready": ("equipment_ready", lambda d: d["ready_at"]),
    "meeting.held": ("meetings_held", lambda d: d["started_at"]),
    "complaint.received": ("complaints_received", lambda d: d["received_at"]),
    "complaint.resolved": ("complaints_resolved", lambda d: d["timing"]["finished_at"]),
}


def month_of(moment: datetime) -> str:
    return f"{moment.year}-{moment.month:02d}"


@cache
def rolled_up(month: str) -> tuple[tuple[str, str], ...]:
    """A month's figures count in its quarter and its year too."""
    year, number = int(month[:4]), int(month[5:])
    return (("month", month), ("quarter", f"{year}-Q{(number - 1) // 3 + 1}"), ("year", f"{year}"))


def roll_up(key: tuple[str, ...]) -> list[tuple[str, ...]]:
    """(tenant, "month", month, metric) -> the same key for the month, its quarter and its year."""
    tenant, _, month, metric = key
    return [(tenant, kind, period, metric) for kind, period in rolled_up(month)]


def usage_deltas(zone_of: Callable[[str], str]):
    """Deltas keyed (tenant, "month", month, metric); `roll_up` adds the quarter and the year
    when they are written, so each event costs one key per metric, not three. A replay calls
    this for every event of history, hence the caches."""
    zones: dict[str, ZoneInfo] = {}

    def deltas(envelope: dict) -> Iterable[tuple[tuple[str, ...], int]]:
        counted = METRIC_AND_MOMENT.get(type_info(envelope["type"])[0])
        if counted is None:
            return ()
        name, data = current_data(envelope)
        tenant = envelope["tenant"]
        metric, moment_of = counted
        month = local_month(tenant, moment_of(data))
        found = [((tenant, "month", month, metric), 1)]
        if name == "meeting.held":
            found.append(((tenant, "month", month, "participants"), data["attendance"]))
        timing = data.get("timing")
        if timing is not None:
            found.append(((tenant, "month", month, "steps_met" if timing["met_standard"] else "steps_missed"), 1))
        return found

    def zone(tenant: str) -> ZoneInfo:
        return zones.get(tenant) or zones.setdefault(tenant, ZoneInfo(zone_of(tenant)))

    @cache
    def own_offset(tenant: str) -> str:
        """The tenant's offset as ISO 8601 writes it (`+07:00`): Indonesia's zones keep one."""
        minutes = int(zone(tenant).utcoffset(datetime(2026, 1, 1)).total_seconds() // 60)
        return f"{'+' if minutes >= 0 else '-'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"

    def local_month(tenant: str, moment: str) -> str:
        """The tenant's month of `moment`, read off the text where it cannot be otherwise: a time
        written in the tenant's own offset, or a UTC time before the 28th (Indonesia is ahead of
        UTC by at most nine hours). Other times are converted."""
        offset = moment[19:].lstrip(".0123456789")
        if moment[:4] >= "1990" and (offset == own_offset(tenant) or (
                offset in ("Z", "+00:00") and moment[8:10] < "28")):
            return moment[:7]
        return month_of(datetime.fromisoformat(moment).astimezone(zone(tenant)))

    return deltas
