"""Rekap: what each event adds to a tenant's monthly, quarterly and yearly figures.

An event counts in the period of the moment it describes (a meeting in the month it was
held, a decision in the month it was made), read in the tenant's own time zone.
"""
from __future__ import annotations

from datetime import datetime
from functools import cache, lru_cache
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
        if type_info(envelope["type"])[0] not in METRIC_AND_MOMENT:
            return ()
        name, data = current_data(envelope)
        tenant = envelope["tenant"]
        metric, moment_of = METRIC_AND_MOMENT[name]
        month = local_month(tenant, moment_of(data))
        return [((tenant, "month", month, m), amount) for m, amount in [(metric, 1), *_extra(name, data)]]

    @lru_cache(maxsize=1024)  # history is read in time order: recent hours repeat
    def hour_in_month(tenant: str, hour_and_offset: str) -> str:
        zone = zones.get(tenant) or zones.setdefault(tenant, ZoneInfo(zone_of(tenant)))
        return month_of(datetime.fromisoformat(hour_and_offset).astimezone(zone))

    def local_month(tenant: str, moment: str) -> str:
        """The tenant's month of `moment`. Indonesia's zones are whole hours from UTC, so the
        month is decided by the hour and the offset: most events share one with another."""
        offset = moment[19:].lstrip(".0123456789")
        if offset[-2:] == "00" or offset == "Z":
            return hour_in_month(tenant, moment[:13] + ":00:00" + offset)
        return month_of(datetime.fromisoformat(moment).astimezone(zones.get(tenant) or ZoneInfo(zone_of(tenant))))

    return deltas


def _extra(name: str, data: dict) -> list[tuple[str, int]]:
    """Attendance, and the service-time standard kept or missed, where the event has them."""
    extra = [("participants", data["attendance"])] if name == "meeting.held" else []
    if "timing" in data:
        extra.append(("steps_met" if data["timing"]["met_standard"] else "steps_missed", 1))
    return extra
