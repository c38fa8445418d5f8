"""Survei kepuasan: each response's nine answers, and the period's index (IKM)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from reporting.domain.periods import Period
from reporting.domain.register import utc
from shared.satisfaction import SatisfactionIndex, minimum_sample, satisfaction_index

SURVEY_EVENTS = frozenset({"survey.answered"})


def survey_facts(name: str, data: dict[str, Any]) -> dict[str, Any] | None:
    if name not in SURVEY_EVENTS:
        return None
    return {
        "request_id": data.get("request_id"),
        "answers": data["answers"],
        "source": data.get("source", "link"),
        "answered_at": utc(data["answered_at"]),
    }


def index_of(surveys: list[dict[str, Any]], period: Period, zone: ZoneInfo) -> SatisfactionIndex | None:
    """The index of the responses given in the period (a paper survey counts when it was filled in)."""
    return satisfaction_index(s["answers"] for s in surveys if period.includes(s["answered_at"], zone))


def short_of_sample(index: SatisfactionIndex | None, served: int) -> int | None:
    """The minimum sample for the period's meetings, when fewer responded; None when enough did."""
    needed = minimum_sample(served)
    responded = index.respondents if index else 0
    return needed if served and responded < needed else None
