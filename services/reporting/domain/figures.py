"""Figures of a period: counts, shares and the spread of working time used."""

from __future__ import annotations

from typing import Any, Iterable
import math
import statistics
from collections import Counter
from dataclasses import dataclass


def share(part: int, whole: int) -> float | None:
    """Percent with one decimal, or None when there is nothing to divide."""
    return round(100 * part / whole, 1) if whole else None


def percentile(values: list[float], fraction: float) -> float | None:
    """Nearest-rank percentile: a value that really occurred, as auditors expect."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


@dataclass(frozen=True)
class Spread:
    """How many, within the standard, late, and how long it took (working minutes)."""

    count: int
    met: int
    late: int
    median_minutes: float | None
    p90_minutes: float | None
    worst: dict[str, Any] | None
    """The row that was latest against its standard (smallest margin)."""

    @property
    def met_share(self) -> float | None:
        return share(self.met, self.count)

    @classmethod
    def of(cls, rows: list[dict[str, Any]]) -> "Spread":
        used = [row["used_minutes"] for row in rows]
        worst = min(rows, key=lambda row: row["margin_minutes"]) if rows else None
        met = sum(1 for row in rows if row["met"])
        return cls(len(rows), met, len(rows) - met, median(used), percentile(used, 0.9), worst)


def tally(values: Iterable[Any]) -> dict[str, int]:
    """Counts by value, most frequent first, ties by name."""
    return dict(sorted(Counter(values).items(), key=lambda item: (-item[1], str(item[0]))))
