"""Reporting's read side: one period's evaluation, and the head of division's findings."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, datetime

import asyncpg

from reporting.adapters.projections import projections
from reporting.adapters.views import history, live_generation
from reporting.domain.evaluation import Evaluation, History, evaluate
from reporting.domain.periods import Period
from shared.eventstore import Causation, append
from shared.events.contracts import EvaluationFindingRecorded, EvaluationPublished
from shared.tenants import TenantProfile


async def history_of(conn: asyncpg.Connection, tenants: dict, tenant: str) -> History:
    return await history(conn, projections(tenants), tenant)


async def evaluation_of(
    conn: asyncpg.Connection,
    tenants: dict,
    profile: TenantProfile,
    period: Period,
    now: datetime,
    agency: str | None = None,
) -> Evaluation:
    return evaluate(await history_of(conn, tenants, profile.id), period, profile, now, agency)


async def record_finding(
    conn: asyncpg.Connection,
    *,
    tenant: str,
    period: Period,
    finding: str,
    follow_up: str,
    follow_up_due: date | None,
    by: str,
    now: datetime,
    correlation_id: str,
) -> str:
    """Temuan and rencana tindak lanjut: an event of its own stream, shown in this and the next period."""
    finding_id = str(uuid.uuid4())
    event = EvaluationFindingRecorded(
        finding_id=finding_id,
        period_kind=period.kind,
        period=period.key,
        finding=finding,
        follow_up=follow_up,
        follow_up_due=follow_up_due,
        by=by,
        recorded_at=now,
    )
    await append(
        conn,
        schema="reporting",
        tenant=tenant,
        stream_id=f"finding-{finding_id}",
        expected_version=0,
        events=[event],
        cause=Causation(correlation_id),
    )
    return finding_id


async def publish_evaluation(
    conn: asyncpg.Connection, *, tenant: str, evaluation: Evaluation, by: str, now: datetime, correlation_id: str
) -> None:
    """Evaluasi diterbitkan: its headline figures go to the public feed for other agencies. Each
    publication is a stream of its own; published again, the newer figures count."""
    period, summary = evaluation.period, evaluation.summary
    event = EvaluationPublished(
        period_kind=period.kind,
        period=period.key,
        requests=summary.requests,
        held=summary.held,
        steps_within_standard_percent=summary.steps_met_share,
        satisfaction_index=summary.ikm,
        complaints=summary.complaints,
        by=by,
        published_at=now,
    )
    await append(
        conn,
        schema="reporting",
        tenant=tenant,
        stream_id=f"publication-{uuid.uuid4()}",
        expected_version=0,
        events=[event],
        cause=Causation(correlation_id),
    )


async def finding_shown(pool: asyncpg.Pool, tenant: str, finding_id: str, within: float = 5.0) -> bool:
    """Whether the finding reached its projection within `within` seconds.

    The page the official is sent back to reads the projection, which the event reaches
    through the outbox and the stream; waiting this short while lets them see what they wrote.
    """
    projection = projections({})["findings"]
    deadline = asyncio.get_running_loop().time() + within
    while True:
        async with pool.acquire() as conn:
            generation = await live_generation(conn, projection.name)
            if generation and await projection.rows(
                conn, generation, "tenant = $1 and finding_id = $2", tenant, finding_id
            ):
                return True
        if asyncio.get_running_loop().time() >= deadline:
            return False
        await asyncio.sleep(0.1)


def named(register: list[dict], names: dict[str, dict]) -> list[dict]:
    """The register with the names intake gave, for the department's own eyes only."""
    return [
        row
        | {
            "contact_name": (names.get(row["request_id"]) or {}).get("contact"),
            "leading_official_name": (names.get(row["request_id"]) or {}).get("leading_official"),
        }
        for row in register
    ]
