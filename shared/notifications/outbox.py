"""The notifications outbox: written with the change it tells of, sent and retried by a background loop.

A row goes `pending` -> `sending` (claimed: its attempt counted, a lease until `claimed_until`,
committed before anything is sent) -> `sent`, back to `pending` with a later `next_attempt_at`,
`failed` (given up) or `dropped` (never sendable). A claim whose lease ran out (its process
stopped mid-send) is due again. A result is recorded only by the claim that made the attempt:
`attempts` is the fencing token, so a late sender never overwrites a newer claim.
"""

from __future__ import annotations

from typing import Any, TypeAlias, cast
from datetime import datetime, timedelta

import asyncpg

from shared.notifications.contacts import Contacts
from shared.tracing import carrier_to_store

RETRY_BASE_SECONDS = 5
RETRY_MAX_SECONDS = 3600

Executor: TypeAlias = "asyncpg.Connection | asyncpg.Pool"


async def enqueue(
    conn: asyncpg.Connection,
    *,
    tenant: str,
    about_id: str,
    cause_id: str,
    channel: str,
    contact_ref: str,
    subject: str,
    body: str,
) -> None:
    """Queue one message; the same cause on the same channel is queued once (redelivery is harmless)."""
    await conn.execute(
        "insert into notifications (tenant, about_id, cause_id, channel, contact_ref, subject, body, trace_context)"
        " values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb) on conflict (cause_id, channel) do nothing",
        tenant,
        about_id,
        cause_id,
        channel,
        contact_ref,
        subject,
        body,
        carrier_to_store(),
    )


async def due(conn: asyncpg.Connection, contacts: Contacts, limit: int) -> list[asyncpg.Record]:
    """Pending messages due now and claims whose lease ran out, with their contact's addresses;
    locked (inside the caller's transaction) so another replica skips them."""
    return cast(
        "list[Any]",
        await conn.fetch(
            f"select n.*, {contacts.columns()} from notifications n {contacts.join()}"
            " where (n.state = 'pending' and n.next_attempt_at <= now())"
            " or (n.state = 'sending' and n.claimed_until <= now())"
            " order by n.id limit $1 for update of n skip locked",
            limit,
        ),
    )


async def claim(conn: asyncpg.Connection, ids: list[int], lease_seconds: float) -> None:
    """Mark `ids` as being sent by this attempt until the lease ends."""
    await conn.execute(
        "update notifications set state = 'sending', attempts = attempts + 1,"
        " claimed_until = now() + $2 * interval '1 second' where id = any($1::bigint[])",
        ids,
        lease_seconds,
    )


async def drop_pending(conn: asyncpg.Connection, contact_refs: list[str], why: str) -> None:
    """What is still queued for these contacts is never sent (their personal data was erased);
    a claim in flight already read the address, and one whose lease runs out finds it erased."""
    await conn.execute(
        "update notifications set state = 'dropped', last_error = $2"
        " where contact_ref = any($1::uuid[]) and state = 'pending'",
        contact_refs,
        why,
    )


async def mark_dropped(conn: Executor, id: int, why: str) -> None:
    await conn.execute(
        "update notifications set state = 'dropped', last_error = $2, claimed_until = null where id = $1", id, why
    )


async def mark_sent(conn: Executor, id: int, attempt: int) -> bool:
    """False if this attempt's claim is no longer the row's (a newer claim took it over)."""
    return _updated(
        await conn.execute(
            "update notifications set state = 'sent', sent_at = now(), last_error = null, claimed_until = null"
            " where id = $1 and state = 'sending' and attempts = $2",
            id,
            attempt,
        )
    )


async def mark_failed_attempt(
    conn: Executor, id: int, attempt: int, error: str, max_attempts: int, now: datetime
) -> bool:
    """Back off 5 s, 10 s, 20 s ... up to an hour; after `max_attempts` the message is given up.
    False if this attempt's claim is no longer the row's."""
    delay = min(RETRY_BASE_SECONDS * 2 ** (attempt - 1), RETRY_MAX_SECONDS)
    state = "failed" if attempt >= max_attempts else "pending"
    return _updated(
        await conn.execute(
            "update notifications set state = $3, last_error = $4, next_attempt_at = $5, claimed_until = null"
            " where id = $1 and state = 'sending' and attempts = $2",
            id,
            attempt,
            state,
            error[:1000],
            now + timedelta(seconds=delay),
        )
    )


def _updated(status: str) -> bool:
    return status.rsplit(" ", 1)[-1] != "0"
