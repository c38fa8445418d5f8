from __future__ import annotations

import math
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict

from shared.calendar.standard import StepAssessment


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("must carry a time zone offset")
    return value


AwareDatetime = Annotated[datetime, AfterValidator(_aware)]


class StepTiming(BaseModel):
    """How one SOP step went against its service-time standard, counted in working time."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    step: str
    started_at: AwareDatetime
    due_at: AwareDatetime
    finished_at: AwareDatetime
    met_standard: bool
    margin_minutes: int
    """Working minutes to spare (positive) or over the standard (negative)."""

    @classmethod
    def of(cls, step: str, assessment: StepAssessment) -> "StepTiming":
        """From the working-time calendar's assessment (`shared.calendar.StepAssessment`).

        Whole minutes, rounded down, so a step late by seconds shows -1, never 0.
        """
        return cls(
            step=step,
            started_at=assessment.started,
            due_at=assessment.due,
            finished_at=assessment.finished,
            met_standard=assessment.met,
            margin_minutes=math.floor(assessment.margin_minutes),
        )
