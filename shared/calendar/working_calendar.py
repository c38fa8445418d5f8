"""Kalender kerja: the one working-time calendar every service uses."""

from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime, timedelta

from .closed_days import PUBLIC_HOLIDAYS_AND_COLLECTIVE_LEAVE, ClosedDays
from .instants import as_minutes, elapsed, require_aware, shifted, zone_named
from .opening_hours import OpeningHours, Weekday
from .standard import Standard, StepAssessment, TimeUnit

Period = tuple[datetime, datetime]


class WorkingCalendar:
    """Jam kerja, hari kerja, hari libur and cuti bersama of one tenant, in its zone.

    Every operation takes aware datetimes (any zone) and returns aware
    datetimes in the tenant's zone. Working periods are half-open: a tenant
    open 08:00-16:00 is working at 08:00 and closed at 16:00.
    """

    def __init__(
        self,
        time_zone: str,
        working_hours: Mapping[Weekday | int, OpeningHours],
        extra_closed_dates: Iterable[date] = (),
        holiday_categories: Iterable[str] = PUBLIC_HOLIDAYS_AND_COLLECTIVE_LEAVE,
    ) -> None:
        self.zone = zone_named(time_zone)
        self._hours = {Weekday(day): hours for day, hours in working_hours.items()}
        if not self._hours:
            raise ValueError("a working calendar needs at least one working weekday")
        self._closed = ClosedDays(extra_closed_dates, holiday_categories)

    def local(self, instant: datetime) -> datetime:
        return require_aware(instant).astimezone(self.zone)

    def opening_hours_on(self, day: date) -> OpeningHours | None:
        """The day's jam kerja, or None on weekends, holidays and cuti bersama."""
        if self._closed.is_closed(day):
            return None
        return self._hours.get(Weekday.of(day))

    def is_working_day(self, day: date) -> bool:
        return self.opening_hours_on(day) is not None

    def closed_reason(self, day: date) -> str | None:
        return self._closed.reason(day)

    def is_working_time(self, instant: datetime) -> bool:
        moment = self.local(instant)
        hours = self.opening_hours_on(moment.date())
        return hours is not None and hours.contains(moment.time())

    def next_opening(self, instant: datetime) -> datetime:
        """The instant itself when inside working time, else the next opening."""
        start, _ = next(self._periods_from(self.local(instant)))
        return start

    def add_working(self, instant: datetime, *, minutes: float = 0, hours: float = 0, days: int = 0) -> datetime:
        """Instant after `days` working days, then `hours` and `minutes` of working time.

        Counting starts at the next opening when `instant` is outside working
        time. A count that ends exactly at closing returns the closing time.
        """
        amount = timedelta(minutes=minutes, hours=hours)
        if amount < timedelta(0):
            raise ValueError("working time to add must not be negative")
        start = self.add_working_days(instant, days) if days else self.local(instant)
        for period_start, period_end in self._periods_from(start):
            length = elapsed(period_start, period_end)
            if amount <= length:
                return shifted(period_start, amount, self.zone)
            amount -= length
        raise AssertionError("unreachable: working periods never run out")

    def add_working_days(self, instant: datetime, days: int) -> datetime:
        """Same time of day `days` hari kerja later.

        Rule: an instant outside working time first moves to the next opening.
        The result is on the `days`-th working day after that opening's date,
        at the same wall-clock time, clamped into that day's hours (a Friday
        16:20 request plus one working day is due Monday 16:00 when Monday
        closes at 16:00). Zero days gives the next opening.
        """
        if isinstance(days, bool) or not isinstance(days, int) or days < 0:
            raise ValueError(f"working days must be a whole number >= 0, got {days!r}")
        start = self.next_opening(instant)
        day = start.date()
        for _ in range(days):
            day = self._next_working_day_after(day)
        hours = self.opening_hours_on(day)
        assert hours is not None, "a working day, or the day of an opening"
        moment = hours.clamp(start.time())
        return datetime.combine(day, moment, tzinfo=self.zone)

    def working_minutes_between(self, start: datetime, end: datetime) -> float:
        """Working minutes from start to end; negative when end is before start."""
        start, end = self.local(start), self.local(end)
        if end < start:
            return -self.working_minutes_between(end, start)
        total = timedelta(0)
        for period_start, period_end in self._periods_from(start):
            if period_start >= end:
                break
            total += elapsed(period_start, min(period_end, end))
        return as_minutes(total)

    def working_days_left(self, now: datetime, due: datetime) -> int:
        """Sisa hari kerja: working days after today up to the due day; negative once overdue
        (the working days since the due day), 0 on the due day itself."""
        today, due_day = self.local(now).date(), self.local(due).date()
        first, last, sign = (today, due_day, 1) if due_day >= today else (due_day, today, -1)
        count, day = 0, first
        while day < last:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return sign * count

    def due(self, started: datetime, standard: Standard) -> datetime:
        """When a step started at `started` must be finished under `standard`."""
        if standard.unit is TimeUnit.CALENDAR_HOURS:
            return shifted(require_aware(started), timedelta(hours=standard.amount), self.zone)
        if standard.unit is TimeUnit.WORKING_DAYS:
            return self.add_working_days(started, standard.amount)
        if standard.unit is TimeUnit.HOURS:
            return self.add_working(started, hours=standard.amount)
        return self.add_working(started, minutes=standard.amount)

    def assess(self, started: datetime, finished: datetime, standard: Standard) -> StepAssessment:
        """Whether a step met its standard and by how many minutes (see StepAssessment)."""
        started, finished = self.local(started), self.local(finished)
        if finished < started:
            raise ValueError(f"step finished {finished} before it started {started}")
        due = self.due(started, standard)
        if standard.unit.counts_working_time:
            margin = self.working_minutes_between(finished, due)
        else:
            margin = as_minutes(elapsed(finished, due))
        return StepAssessment(started, finished, due, standard, margin)

    def _next_working_day_after(self, day: date) -> date:
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def _periods_from(self, moment: datetime) -> Iterator[Period]:
        """Working periods from `moment` on; the first is cut to start at `moment`."""
        day = moment.date()
        while True:
            hours = self.opening_hours_on(day)
            if hours is not None:
                opens = datetime.combine(day, hours.start, tzinfo=self.zone)
                closes = datetime.combine(day, hours.end, tzinfo=self.zone)
                if closes > moment:
                    yield max(opens, moment), closes
            day += timedelta(days=1)
