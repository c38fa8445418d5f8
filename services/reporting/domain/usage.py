"""Rekap: what each event adds to a tenant's monthly, quarterly and yearly figures.

An event counts in the period of the moment it describes (a meeting in the month it was
held, a decision in the month it was made), read in the tenant's own time zone.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from operator import itemgetter
from typing import Any, Callable, Iterable
from zoneinfo import ZoneInfo

from shared.events.base import type_info, upcast

DEFAULT_ZONE = "Asia/Jakarta"

FINISHED = ("timing", "finished_at")

METRIC_AND_MOMENT: dict[str, tuple[str, tuple[str, ...]]] = {
    "request.submitted": ("requests_submitted", ("submitted_at",)),
    "request.withdrawn": ("requests_withdrawn", ("withdrawn_at",)),
    "request.amended": ("requests_amended", ("amended_at",)),
    "request.verified": ("requests_verified", FINISHED),
    "request.returned": ("requests_returned", FINISHED),
    "request.disposed": ("dispositions", FINISHED),
    "request.approved": ("requests_approved", FINISHED),
    "request.rejected": ("requests_rejected", FINISHED),
    "meeting.scheduled": ("meetings_scheduled", ("starts_at",)),
    "equipment.ready": ("equipment_ready", ("ready_at",)),
    "meeting.held": ("meetings_held", ("started_at",)),
    "execution_report.corrected": ("meetings_held", ("started_at",)),
    "complaint.received": ("complaints_received", ("received_at",)),
    "complaint.resolved": ("complaints_resolved", FINISHED),
}
"""Each counted event's metric and where in its data the moment it counts in is."""
FEEDBACK_METRICS = {"suggestion": "suggestions_received", "appreciation": "appreciations_received"}
"""Saran and apresiasi arrive as `complaint.received` too, and are counted apart."""


def fields_read() -> dict[str, Any]:
    """What `usage_deltas` reads of an envelope, as shared.projections.decoding names fields:
    a replay decodes only that."""
    data: dict[str, Any] = {
        "attendance": None,
        "category": None,
        "timing": {"met_standard": None},
        "previous_started_at": None,
        "previous_attendance": None,
    }
    for _, path in METRIC_AND_MOMENT.values():
        _with_path(data, path)
    return {"type": None, "tenant": None, "data": data}


def _with_path(fields: dict[str, Any], path: tuple[str, ...]) -> None:
    first, *rest = path
    if rest:
        _with_path(fields.setdefault(first, {}), tuple(rest))
    else:
        fields.setdefault(first, None)


def _reader(path: tuple[str, ...]) -> Callable[[dict[str, Any]], Any]:
    """Reads the value at `path`: a replay does so for every event, so no loop over the path."""
    first, *rest = path
    if not rest:
        return itemgetter(first)
    inner = _reader(tuple(rest))
    return lambda data: inner(data[first])


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


Deltas = Iterable[tuple[tuple[str, ...], int]]


def usage_deltas(zone_of: Callable[[str], str]) -> Callable[[dict[str, Any]], Deltas]:
    """Deltas keyed (tenant, "month", month, metric); `roll_up` adds the quarter and the year
    when they are written, so each event costs one key per metric, not three. A replay calls
    this for every event of history, hence what is looked up once per event type and tenant."""
    zones: dict[str, ZoneInfo] = {}
    offsets: dict[str, str] = {}
    counting: dict[str, tuple[Any, ...] | None] = {}

    def deltas(envelope: dict[str, Any]) -> Deltas:
        type_ = envelope["type"]
        counted = counting.get(type_) or counting.setdefault(type_, counted_as(type_))
        if counted is None:
            return ()
        name, version, newest, metric, moment_of = counted
        data = envelope["data"] if newest else upcast(name, version, envelope["data"])[1]
        tenant = envelope["tenant"]
        month = local_month(tenant, moment_of(data))
        if name == "complaint.received":
            metric = FEEDBACK_METRICS.get(data["category"], metric)
        if name == "execution_report.corrected":
            return corrected(tenant, month, local_month(tenant, data["previous_started_at"]), data)
        found = [((tenant, "month", month, metric), 1)]
        if name == "meeting.held":
            found.append(((tenant, "month", month, "participants"), data["attendance"]))
        timing = data.get("timing")
        if timing is not None:
            found.append(((tenant, "month", month, "steps_met" if timing["met_standard"] else "steps_missed"), 1))
        return found

    def corrected(tenant: str, month: str, before: str, data: dict[str, Any]) -> list[Any]:
        """A corrected report moves its meeting to the month of its corrected start, and its participants."""
        return [
            ((tenant, "month", month, "meetings_held"), 1),
            ((tenant, "month", before, "meetings_held"), -1),
            ((tenant, "month", month, "participants"), data["attendance"]),
            ((tenant, "month", before, "participants"), -data["previous_attendance"]),
        ]

    def counted_as(type_: str) -> tuple[Any, ...] | None:
        """(name, version, whether newest, metric, moment) of a type that counts, else None."""
        name, version, newest = type_info(type_)
        metric_and_moment = METRIC_AND_MOMENT.get(name)
        if metric_and_moment is None:
            return None
        metric, moment = metric_and_moment
        return name, version, newest, metric, _reader(moment)

    def zone(tenant: str) -> ZoneInfo:
        return zones.get(tenant) or zones.setdefault(tenant, ZoneInfo(zone_of(tenant)))

    def own_offset(tenant: str) -> str:
        """The tenant's offset as ISO 8601 writes it (`+07:00`): Indonesia's zones keep one."""
        offset = zone(tenant).utcoffset(datetime(2026, 1, 1))
        assert offset is not None, "a ZoneInfo always has an offset"
        minutes = int(offset.total_seconds() // 60)
        return f"{'+' if minutes >= 0 else '-'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"

    def local_month(tenant: str, moment: str) -> str:
        """The tenant's month of `moment`, read off the text where it cannot be otherwise: a time
        written in the tenant's own offset, or a UTC time before the 28th (Indonesia is ahead of
        UTC by at most nine hours). Other times are converted."""
        offset = moment[19:].lstrip(".0123456789")
        if moment[:4] >= "1990" and (
            offset == (offsets.get(tenant) or offsets.setdefault(tenant, own_offset(tenant)))
            or (offset in ("Z", "+00:00") and moment[8:10] < "28")
        ):
            return moment[:7]
        return month_of(datetime.fromisoformat(moment).astimezone(zone(tenant)))

    return deltas
