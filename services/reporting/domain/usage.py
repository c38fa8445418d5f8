"""Rekap: what each event adds to a tenant's monthly, quarterly and yearly figures.

An event counts in the period of the moment it describes (a meeting in the month it was
held, a decision in the month it was made), read in the tenant's own time zone.
"""
from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Callable, Iterable
from zoneinfo import ZoneInfo

from shared.events import split_type, upcast

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


@cache
def periods(year: int, month: int) -> tuple[tuple[str, str], ...]:
    quarter = (month - 1) // 3 + 1
    return (("month", f"{year}-{month:02d}"), ("quarter", f"{year}-Q{quarter}"), ("year", f"{year}"))


def usage_deltas(zone_of: Callable[[str], str]):
    """Deltas keyed (tenant, period_kind, period, metric) for the counter projection."""
    zones: dict[str, ZoneInfo] = {}

    types: dict[str, tuple[str, int]] = {}

    def deltas(envelope: dict) -> Iterable[tuple[tuple[str, ...], int]]:
        type_ = envelope["type"]
        name, version = types.get(type_) or types.setdefault(type_, split_type(type_))
        if name not in METRIC_AND_MOMENT:
            return []
        _, data = upcast(name, version, envelope["data"])
        tenant = envelope["tenant"]
        zone = zones.get(tenant) or zones.setdefault(tenant, ZoneInfo(zone_of(tenant)))
        metric, moment_of = METRIC_AND_MOMENT[name]
        moment = datetime.fromisoformat(moment_of(data)).astimezone(zone)
        amounts = [(metric, 1), *_extra(name, data)]
        return [((tenant, kind, period, m), amount) for kind, period in periods(moment.year, moment.month)
                for m, amount in amounts]

    return deltas


def _extra(name: str, data: dict) -> list[tuple[str, int]]:
    """Attendance, and the service-time standard kept or missed, where the event has them."""
    extra = [("participants", data["attendance"])] if name == "meeting.held" else []
    if "timing" in data:
        extra.append(("steps_met" if data["timing"]["met_standard"] else "steps_missed", 1))
    return extra
