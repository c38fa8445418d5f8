"""Tidak terlaksana: recorded by the technical team, or found by the clock when no link came in time."""

from __future__ import annotations

import asyncpg
import structlog

from provisioning.domain.meeting import Meeting
from provisioning.service_layer.changes import withdraw
from provisioning.service_layer.context import SCHEMA, Provisioning
from provisioning.service_layer.execution import meeting_of
from shared.eventstore import Causation
from shared.eventstore.aggregate import load, save

log = structlog.get_logger()
NO_LINK_IN_TIME = "no_link_in_time"


async def record_failed(
    conn: asyncpg.Connection,
    ctx: Provisioning,
    tenant: str,
    request_id: str,
    reason: str,
    note: str,
    by: str | None,
    correlation_id: str,
) -> Meeting:
    meeting = await meeting_of(conn, tenant, request_id)
    await _fail(conn, ctx, meeting, reason, note, by, correlation_id)
    return meeting


async def fail_meetings_without_link(pool: asyncpg.Pool, ctx: Provisioning) -> int:
    """Each approved request whose start has passed is looked at once (again after a reschedule):
    one still without a meeting fails with no_link_in_time. One transaction per request."""
    async with pool.acquire() as conn:
        due = await conn.fetch(
            "select tenant, request_id::text from requests where approved_at is not null"
            " and not link_checked and starts_at <= $1",
            ctx.clock(),
        )
    failed = 0
    for row in due:
        try:
            async with pool.acquire() as conn, conn.transaction():
                failed += await _check_link(conn, ctx, row["tenant"], row["request_id"])
        except Exception as error:  # noqa: BLE001  the next round looks again
            log.warning("provisioning.link_check_failed", request_id=row["request_id"], error=repr(error))
    return failed


async def _check_link(conn: asyncpg.Connection, ctx: Provisioning, tenant: str, request_id: str) -> int:
    await conn.execute("update requests set link_checked = true where request_id = $1", request_id)
    meeting = await load(conn, Meeting, request_id, tenant)
    if meeting is None or not meeting.waiting_for_link:
        return 0
    await _fail(conn, ctx, meeting, NO_LINK_IN_TIME, "", None, f"no-link-{request_id}")
    return 1


async def _fail(
    conn, ctx: Provisioning, meeting: Meeting, reason: str, note: str, by: str | None, correlation_id: str
) -> None:
    """MeetingFailed, then the withdrawal's path: the provider's meeting deleted, every booking released."""
    meeting.fail(reason, note, by, ctx.clock())
    await withdraw(conn, ctx, meeting, f"tidak terlaksana ({reason})")
    await save(conn, SCHEMA, meeting, Causation(correlation_id))
