"""The request form's errors, all of them at once, each at the input it belongs to.

The API answers the first broken rule; a person filling in a form should see every one in one
go, so the tenant's rules are also read from what the form sent when pydantic already refused it.
"""

from __future__ import annotations

from datetime import date, datetime, time
from types import SimpleNamespace

from intake.domain.rules import check_schedule, missing_details
from intake.entrypoints.request_form import place
from shared.domain import DomainRuleBroken
from shared.tenants import TenantProfile

MOMENT_INPUTS = (
    ("date", "tanggal acara", date.fromisoformat),
    ("start_time", "jam mulai", time.fromisoformat),
    ("end_time", "jam selesai", time.fromisoformat),
)
UNANSWERED = dict(
    agency=None,
    contact=None,
    event_name=None,
    venue=None,
    leading_official=None,
    expected_participants=None,
    speakers=[],
    special_needs=None,
    documents={},
)


def moment_errors(form) -> list[dict]:
    """Date and times are three inputs: a missing date is named under the date, not the times."""
    errors = []
    for name, label, parse in MOMENT_INPUTS:
        value = (form.get(name) or "").strip()
        if not value:
            errors.append({"field": name, "rule": f"{label} wajib diisi"})
        elif not _readable(parse, value):
            errors.append({"field": name, "rule": f"{label} tidak sah"})
    return errors


def _readable(parse, value: str) -> bool:
    try:
        parse(value)
    except ValueError:
        return False
    return True


def all_errors(
    profile: TenantProfile, data: dict, command, invalid: list[dict], moments: list[dict], now: datetime
) -> list[dict]:
    """Inputs' own errors first, then every rule of the tenant broken at an input that shows none yet."""
    errors = moments + [e for e in invalid if not (moments and e["field"] in ("starts_at", "ends_at"))]
    shown = {place(error["field"]) for error in errors}
    details = command or SimpleNamespace(**UNANSWERED | data)
    broken = list(missing_details(profile, details))
    if not shown & {"date", "start_time", "end_time"}:
        broken += _schedule_broken(profile, details, now)
    for rule in broken:
        if place(rule.field) not in shown:
            errors.append({"field": rule.field, "rule": rule.message})
            shown.add(place(rule.field))
    return errors


def _schedule_broken(profile: TenantProfile, details, now: datetime) -> list[DomainRuleBroken]:
    starts_at, ends_at = (_moment(getattr(details, name, None)) for name in ("starts_at", "ends_at"))
    if starts_at is None or ends_at is None or ends_at <= starts_at:
        return []
    try:
        check_schedule(profile, starts_at, ends_at, now)
    except DomainRuleBroken as broken:
        return [broken]
    return []


def _moment(value) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else value
