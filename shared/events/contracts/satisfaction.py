"""The satisfaction survey (SKM): an invitation after each meeting, and its one response."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from shared.events.base import Event, register
from shared.events.contracts.common import AwareDatetime
from shared.satisfaction.index import ANSWERS, ELEMENTS

AgeBand = Literal["under_20", "20_29", "30_39", "40_49", "50_plus"]
Sex = Literal["female", "male"]
Education = Literal["sd", "smp", "sma", "d1_d3", "s1", "s2_plus"]
Occupation = Literal["asn", "tni_polri", "private", "self_employed", "other"]


@register
class SurveyInvited(Event):
    """The contact person of a held meeting is asked to fill in the survey, once."""

    context = "complaints"
    name = "survey.invited"
    survey_id: str
    request_id: str
    token: str = Field(description="The one-time link's secret; internal only, never on the public feed.")
    invited_at: AwareDatetime


@register
class SurveyAnswered(Event):
    """One respondent's nine answers (1-4) and, if they chose to give it, their profile. No names,
    no free text: a suggestion stays in the complaints service's erasable store."""

    context = "complaints"
    name = "survey.answered"
    survey_id: str
    request_id: str | None = None
    answers: dict[str, int]
    source: Literal["link", "paper"] = "link"
    age_band: AgeBand | None = None
    sex: Sex | None = None
    education: Education | None = None
    occupation: Occupation | None = None
    answered_at: AwareDatetime

    @field_validator("answers")
    @classmethod
    def _nine_answers(cls, answers: dict[str, int]) -> dict[str, int]:
        if sorted(answers) != sorted(ELEMENTS) or any(a not in ANSWERS for a in answers.values()):
            raise ValueError("answers must be U1..U9, each 1-4")
        return answers
