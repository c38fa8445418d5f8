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
