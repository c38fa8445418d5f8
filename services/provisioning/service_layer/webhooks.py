"""Zoom's meeting.started, meeting.ended and recording.completed feed the same facts as the operator."""

from __future__ import annotations

from datetime import datetime

import asyncpg

from provisioning.service_layer.context import SCHEMA, Provisioning
from provisioning.service_layer.execution import meeting_of
from shared.eventstore import Causation
from shared.eventstore.aggregate import save

HANDLED = ("meeting.started", "meeting.ended", "recording.completed")


async def request_of_meeting(conn: asyncpg.Connection, meeting_id: str) -> tuple[str, str] | None:
    row = await conn.fetchrow(
        "select tenant, envelope->'data'->>'request_id' as request_id from events"
        " where type like '%.meeting.scheduled.%' and envelope->'data'->>'meeting_id' = $1"
        " order by position desc limit 1",
        meeting_id,
    )
    return (row["tenant"], row["request_id"]) if row else None


def _instant(value: str | None, fallback: datetime) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else fallback


async def apply_zoom_event(conn: asyncpg.Connection, ctx: Provisioning, payload: dict) -> str:
    """Returns what happened: 'applied', 'duplicate', 'ignored' or 'unknown_meeting'."""
    event, obj = payload.get("event"), payload.get("payload", {}).get("object", {})
    if event not in HANDLED:
        return "ignored"
    key = f"{event}:{obj.get('id')}:{payload.get('event_ts')}"
    if (
        await conn.fetchval(
            "insert into provider_webhooks (event_key) values ($1) on conflict do nothing returning event_key", key
        )
        is None
    ):
        return "duplicate"
    found = await request_of_meeting(conn, str(obj.get("id")))
    if found is None:
        return "unknown_meeting"
    meeting = await meeting_of(conn, *found)
    now = ctx.clock()
    if event == "meeting.started":
        meeting.record_started(_instant(obj.get("start_time"), now), "provider")
    elif event == "meeting.ended":
        meeting.record_ended(_instant(obj.get("end_time"), now), "provider")
    else:
        meeting.record_recording(obj.get("share_url", ""), now)
    if meeting.pending:
        await save(conn, SCHEMA, meeting, Causation(f"zoom-{key}"))
    return "applied"
