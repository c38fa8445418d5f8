"""Indeks Kepuasan Masyarakat (IKM), PermenPANRB 14/2017.

Nine elements (U1-U9), each answered 1-4. Each element's average is its NRR; the index is
the mean of the nine averages times 25. The regulation writes the weight as 0,11: that is
1/9 rounded, and the exact fraction is used here, so that a department's own spreadsheet
and this system agree. The index is rounded to two decimals (half up) and graded on that.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any, Iterable, Mapping

ELEMENTS: dict[str, str] = {
    "U1": "Persyaratan",
    "U2": "Sistem, mekanisme, dan prosedur",
    "U3": "Waktu penyelesaian",
    "U4": "Biaya/tarif",
    "U5": "Produk spesifikasi jenis pelayanan",
    "U6": "Kompetensi pelaksana",
    "U7": "Perilaku pelaksana",
    "U8": "Penanganan pengaduan, saran dan masukan",
    "U9": "Sarana dan prasarana",
}
ANSWERS = (1, 2, 3, 4)


@dataclass(frozen=True)
class Grade:
    letter: str
    words: str
    lowest: Decimal


GRADES = (
    Grade("A", "Sangat Baik", Decimal("88.31")),
    Grade("B", "Baik", Decimal("76.61")),
    Grade("C", "Kurang Baik", Decimal("65.00")),
    Grade("D", "Tidak Baik", Decimal("25.00")),
)


@dataclass(frozen=True)
class SatisfactionIndex:
    respondents: int
    elements: dict[str, Decimal]
    """NRR per element, two decimals."""
    ikm: Decimal
    grade: Grade

    def as_json(self) -> dict[str, Any]:
        return {
            "elements": {k: float(v) for k, v in self.elements.items()},
            "ikm": float(self.ikm),
            "grade": self.grade.letter,
            "respondents": self.respondents,
        }


def two_decimals(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def grade_of(ikm: Decimal) -> Grade:
    return next(grade for grade in GRADES if ikm >= grade.lowest)


def satisfaction_index(responses: Iterable[Mapping[str, int]]) -> SatisfactionIndex | None:
    """The index of complete responses (every element answered 1-4); None without any."""
    answered = list(responses)
    if not answered:
        return None
    averages = {element: Fraction(sum(r[element] for r in answered), len(answered)) for element in ELEMENTS}
    ikm = two_decimals(sum(averages.values(), Fraction(0)) / len(ELEMENTS) * 25)
    return SatisfactionIndex(len(answered), {k: two_decimals(v) for k, v in averages.items()}, ikm, grade_of(ikm))


def minimum_sample(population: int) -> int:
    """Krejcie and Morgan's sample size, the table the regulation refers to (95% confidence,
    5% margin, P = 0.5); a population under it is surveyed whole."""
    if population <= 0:
        return 0
    chi, p, d = 3.841, 0.5, 0.05
    return min(
        population, math.floor(chi * population * p * (1 - p) / (d * d * (population - 1) + chi * p * (1 - p)) + 0.5)
    )
