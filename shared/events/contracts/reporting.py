"""Reporting's own facts: what the head of division records on an evaluation."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from shared.events.base import Event, register
from shared.events.contracts.common import AwareDatetime


@register
class EvaluationFindingRecorded(Event):
    """Temuan evaluasi and its rencana tindak lanjut, for one evaluation period."""

    context = "reporting"
    name = "evaluation.finding_recorded"
    finding_id: str
    period_kind: Literal["month", "quarter", "year"]
    period: str = Field(description="YYYY-MM, YYYY-Qn or YYYY.")
    finding: str = Field(min_length=3, max_length=2000)
    follow_up: str = Field(min_length=3, max_length=2000, description="Rencana tindak lanjut.")
    follow_up_due: date | None = None
    by: str = Field(description="User id of the official who recorded it.")
    recorded_at: AwareDatetime


@register
class EvaluationPublished(Event):
    """Evaluasi diterbitkan: the head of division publishes a period's evaluation, with its
    headline figures as they stood at publication (published again: the newer figures count)."""

    context = "reporting"
    name = "evaluation.published"
    period_kind: Literal["month", "quarter", "year"]
    period: str = Field(description="YYYY-MM, YYYY-Qn or YYYY.")
    requests: int = Field(ge=0)
    held: int = Field(ge=0)
    steps_within_standard_percent: float | None = Field(default=None, ge=0, le=100)
    satisfaction_index: float | None = None
    complaints: int = Field(ge=0)
    by: str = Field(description="User id of the official who published it.")
    published_at: AwareDatetime
