"""Periode evaluasi: a month, a quarter or a year in the tenant's own time zone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from shared.calendar.names import MONTHS as MONTH_NAMES

KIND_NAMES = {"month": "Bulan", "quarter": "Triwulan", "year": "Tahun"}
ROMAN = ["I", "II", "III", "IV"]
PATTERNS = {"month": r"^(\d{4})-(0[1-9]|1[0-2])$", "quarter": r"^(\d{4})-Q([1-4])$", "year": r"^(\d{4})$"}


@dataclass(frozen=True)
class Period:
    kind: str
    year: int
    index: int
    """Month 1-12, quarter 1-4, or 1 for a year."""

    @classmethod
    def parse(cls, kind: str, key: str) -> "Period":
        match = re.match(PATTERNS[kind], key)
        if not match:
            raise ValueError(f"periode {key!r} tidak sesuai format {kind}")
        year = int(match.group(1))
        return cls(kind, year, int(match.group(2)) if kind != "year" else 1)

    @classmethod
    def containing(cls, kind: str, moment: datetime) -> "Period":
        index = {"month": moment.month, "quarter": (moment.month - 1) // 3 + 1, "year": 1}[kind]
        return cls(kind, moment.year, index)

    @property
    def key(self) -> str:
        return {
            "month": f"{self.year}-{self.index:02d}",
            "quarter": f"{self.year}-Q{self.index}",
            "year": f"{self.year}",
        }[self.kind]

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{MONTH_NAMES[self.index - 1]} {self.year}"
        if self.kind == "quarter":
            return f"Triwulan {ROMAN[self.index - 1]} {self.year}"
        return f"Tahun {self.year}"

    @property
    def months(self) -> list[int]:
        return {
            "month": [self.index],
            "quarter": [3 * self.index - 2, 3 * self.index - 1, 3 * self.index],
            "year": list(range(1, 13)),
        }[self.kind]

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """[start, end) of the period as aware instants in `zone`."""
        first, last = self.months[0], self.months[-1]
        start = datetime(self.year, first, 1, tzinfo=zone)
        end = (
            datetime(self.year + 1, 1, 1, tzinfo=zone) if last == 12 else datetime(self.year, last + 1, 1, tzinfo=zone)
        )
        return start, end

    def contains(self, moment: datetime, zone: ZoneInfo) -> bool:
        start, end = self.bounds(zone)
        return start <= moment < end

    def includes(self, moment: str, zone: ZoneInfo) -> bool:
        """`contains` for an ISO 8601 instant as projections keep it."""
        return self.contains(datetime.fromisoformat(moment), zone)

    def previous(self) -> "Period":
        if self.kind == "year":
            return Period("year", self.year - 1, 1)
        count = 12 if self.kind == "month" else 4
        if self.index == 1:
            return Period(self.kind, self.year - 1, count)
        return Period(self.kind, self.year, self.index - 1)

    def next(self) -> "Period":
        count = {"month": 12, "quarter": 4, "year": 1}[self.kind]
        if self.index == count:
            return Period(self.kind, self.year + 1, 1)
        return Period(self.kind, self.year, self.index + 1)

    def parts(self) -> list["Period"]:
        """The months of a quarter or a year (a month has none): the chart's bars."""
        return [] if self.kind == "month" else [Period("month", self.year, m) for m in self.months]
