"""Aware-datetime helpers shared by the calendar."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class NaiveDatetimeError(ValueError):
    """A datetime without a time zone was given where an instant is needed."""


def zone_named(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"{name!r} is not a valid IANA time zone") from error


def require_aware(instant: datetime, what: str = "instant") -> datetime:
    if not isinstance(instant, datetime):
        raise TypeError(f"{what} must be a datetime, got {type(instant).__name__}")
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise NaiveDatetimeError(
            f"{what} {instant.isoformat()} has no time zone; give an aware datetime,"
            " e.g. datetime(..., tzinfo=ZoneInfo('Asia/Jakarta'))"
        )
    return instant


def elapsed(start: datetime, end: datetime) -> timedelta:
    """Real time from start to end, safe even for zones with clock changes."""
    return end.astimezone(UTC) - start.astimezone(UTC)


def shifted(instant: datetime, by: timedelta, zone: ZoneInfo) -> datetime:
    return (instant.astimezone(UTC) + by).astimezone(zone)


def as_minutes(duration: timedelta) -> float:
    return duration.total_seconds() / 60
