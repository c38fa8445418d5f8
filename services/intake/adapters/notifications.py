"""The notifications outbox: written with the status change, sent and retried by a background loop."""
from __future__ import annotations

from datetime import datetime, timedelta

import asyncpg

RETRY_BASE_SECONDS = 5
RETRY_MAX_SECONDS = 3600


async def enqueue(conn: asyncpg.Connection, *, tenant: str, request_id: str, cause_id: str, channel: str,
                  contact_ref: str, subject: str, body: str) -> None:
    await conn.execute(
        "insert into notifications (tenant, request_id, cause_id, channel, contact_ref, subject, body)"
        " values ($1, $2, $3, $4, $5, $6, $7) on conflict (cause_id, channel) do nothing",
        tenant, request_id, cause_id, channel, contact_ref, subject, body)


async def due(conn: asyncpg.Connection, limit: int = 10) -> list[asyncpg.Record]:
    """Pending messages whose time has come, locked so another replica skips them."""
    return await conn.fetch(
        "select n.*, c.email, c.whatsapp, c.erased_at from notifications n"
        " left join contacts c on c.contact_ref = n.contact_ref"
        " where n.state = 'pending' and n.next_attempt_at <= now() order by n.id limit $1"
        " for update of n skip locked", limit)


async def mark_sent(conn: asyncpg.Connection, id: int) -> None:
    await conn.execute("update notifications set state = 'sent', sent_at = now(), attempts = attempts + 1,"
                       " last_error = null where id = $1", id)


async def mark_dropped(conn: asyncpg.Connection, id: int, why: str) -> None:
    await conn.execute("update notifications set state = 'dropped', last_error = $2 where id = $1", id, why)


async def mark_failed_attempt(conn: asyncpg.Connection, id: int, attempts: int, error: str,
                              max_attempts: int, now: datetime) -> None:
    """Back off 5 s, 10 s, 20 s ... up to an hour; after `max_attempts` the message is given up."""
    delay = min(RETRY_BASE_SECONDS * 2 ** attempts, RETRY_MAX_SECONDS)
    state = "failed" if attempts + 1 >= max_attempts else "pending"
    await conn.execute("update notifications set attempts = attempts + 1, state = $2, last_error = $3,"
                       " next_attempt_at = $4 where id = $1", id, state, error[:1000],
                       now + timedelta(seconds=delay))
