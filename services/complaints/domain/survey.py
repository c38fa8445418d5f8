"""Survei kepuasan masyarakat: one invitation per held meeting, one response per invitation."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from shared.domain import Aggregate, DomainRuleBroken
from shared.events.contracts import SurveyAnswered, SurveyInvited


class Survey(Aggregate):
    stream_prefix = "survey"

    def __init__(self, id: str, tenant: str):
        super().__init__(id, tenant)
        self.request_id: str | None = None
        self.answered = False

    @classmethod
    def invite(cls, id: str, tenant: str, request_id: str, at: datetime) -> "Survey":
        survey = cls(id, tenant)
        survey.record(
            SurveyInvited(survey_id=id, request_id=request_id, token=secrets.token_urlsafe(24), invited_at=at)
        )
        return survey

    @classmethod
    def on_paper(cls, id: str, tenant: str, answers: dict[str, int], at: datetime) -> "Survey":
        """A response filled in on paper and typed in later: no link, no request named."""
        survey = cls(id, tenant)
        survey.record(SurveyAnswered(survey_id=id, answers=answers, source="paper", answered_at=at))
        return survey

    def answer(self, answers: dict[str, int], at: datetime, **profile: Any) -> None:
        if self.answered:
            raise DomainRuleBroken(
                "survey", "survei ini sudah diisi; terima kasih, satu tautan untuk satu jawaban", status=409
            )
        self.record(
            SurveyAnswered(survey_id=self.id, request_id=self.request_id, answers=answers, answered_at=at, **profile)
        )

    def when_survey_invited(self, event: SurveyInvited) -> None:
        self.request_id, self.token = event.request_id, event.token

    def when_survey_answered(self, event: SurveyAnswered) -> None:
        self.answered = True
