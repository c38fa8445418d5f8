"""The notifications outbox: written with the change it tells of, sent and retried by a background loop."""
from __future__ import annotations

from datetime import datetime, timedelta

import asyncpg

from shared.notifications.contacts import Contacts

RETRY_BASE_SECONDS = 5
RETRY_MAX_SECONDS = 3600


async def enqueue(conn: asyncpg.Connection, *, tenant: str, about_id: str, cause_id: str, channel: str,
                  contact_ref: str, subject: str, body: str) -> None:
    """Queue one message; the same cause on the same channel is queued once (redelivery is harmless)."""
    await conn.execute(
        "insert into notifications (tenant, about_id, cause_id, channel, contact_ref, subject, body)"
        " values ($1, $2, $3, $4, $5, $6, $7) on conflict (cause_id, channel) do nothing",
        tenant, about_id, cause_id, channel, contact_ref, subject, body)


async def due(conn: asyncpg.Connection, contacts: Contacts, limit: int = 10) -> list[asyncpg.Record]:
    """Pending messages due now, with their contact's addresses; locked so another replica skips them."""
    return await conn.fetch(
        f"select n.*, {contacts.columns()} from notifications n {contacts.join()}"
        " where n.state = 'pending' and n.next_attempt_at <= now() order by n.id limit $1"
        " for update of n skip locked", limit)


async def drop_pending(conn: asyncpg.Connection, contact_refs: list[str], why: str) -> None:
    """What is still queued for these contacts is never sent (their personal data was erased)."""
    await conn.execute("update notifications set state = 'dropped', last_error = $2"
                       " where contact_ref = any($1::uuid[]) and state = 'pending'", contact_refs, why)


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
