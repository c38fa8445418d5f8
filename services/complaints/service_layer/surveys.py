"""The satisfaction survey's use cases: invite after a held meeting, take its one response."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import asyncpg

from complaints.domain.survey import Survey
from shared.clock import utc_now
from shared.domain import DomainRuleBroken
from shared.eventstore import Causation
from shared.eventstore.aggregate import load, save
from shared.messaging import Delivery

SCHEMA = "complaints"


SURVEY_WINDOW = timedelta(days=14)
"""A meeting reported longer ago than this gets no survey: a first start over years of history
must not send the contact persons of old meetings a link."""


async def invite_after_meeting(conn: asyncpg.Connection, delivery: Delivery, now: datetime | None = None) -> None:
    """One survey per held meeting, whatever redelivers or reports the meeting again."""
    tenant, request_id = delivery.envelope.tenant, delivery.event.request_id
    if (now or utc_now()) - delivery.envelope.time > SURVEY_WINDOW:
        return
    if await conn.fetchval("select 1 from surveys where tenant = $1 and request_id = $2", tenant, request_id):
        return
    survey = Survey.invite(str(uuid.uuid4()), tenant, request_id, delivery.envelope.time)
    invited = survey.pending[0]
    await save(conn, SCHEMA, survey, Causation(delivery.envelope.correlationid, delivery.envelope.id))
    await conn.execute(
        "insert into surveys (survey_id, tenant, request_id, token, invited_at) values ($1, $2, $3, $4, $5)",
        survey.id,
        tenant,
        request_id,
        invited.token,
        invited.invited_at,
    )


async def survey_of_token(conn: asyncpg.Connection, tenant: str, token: str) -> asyncpg.Record:
    found = await conn.fetchrow("select * from surveys where tenant = $1 and token = $2", tenant, token)
    if found is None:
        raise DomainRuleBroken(
            "token", "tautan survei tidak dikenal; periksa kembali tautan dari pesan kami", status=404
        )
    return found


async def answer_survey(
    conn: asyncpg.Connection,
    tenant: str,
    token: str,
    answers: dict[str, int],
    profile: dict,
    suggestion: str,
    at: datetime,
    correlation_id: str,
) -> None:
    row = await survey_of_token(conn, tenant, token)
    survey = await load(conn, Survey, str(row["survey_id"]), tenant)
    survey.answer(answers, at, **profile)
    await save(conn, SCHEMA, survey, Causation(correlation_id))
    await conn.execute(
        "update surveys set answered_at = $2, suggestion = nullif($3, '') where survey_id = $1",
        row["survey_id"],
        at,
        suggestion.strip(),
    )


async def record_paper_survey(
    conn: asyncpg.Connection, tenant: str, responses: list[dict[str, int]], at: datetime, correlation_id: str
) -> int:
    """Every respondent of a paper survey as a response of its own, all or none."""
    for answers in responses:
        await save(conn, SCHEMA, Survey.on_paper(str(uuid.uuid4()), tenant, answers, at), Causation(correlation_id))
    return len(responses)
