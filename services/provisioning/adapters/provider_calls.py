"""The outside calls still to make, in PostgreSQL: asked in a decision's transaction, claimed under a lease."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

import asyncpg

from shared.domain import Aggregate
from shared.eventstore import Causation
from shared.tracing import carrier_to_store, stored_carrier


CALL_ASKED = "provider_call_asked"
"""NOTIFY channel: a call was asked for (sent at commit), so a waiting worker claims it at once."""


@dataclass(frozen=True)
class ProviderCall:
    """One call, as a worker holds it: `lease` proves it still does when the result comes."""

    call_id: int
    tenant: str
    request_id: str
    kind: str
    account_id: str | None
    excluded: tuple[str, ...]
    attempts: int
    lease: uuid.UUID
    asked_after: int = 0
    correlation_id: str | None = None
    trace_context: dict[str, str] | None = None
    """The W3C trace headers of the decision that asked for the call."""


class LeaseLost(Exception):
    """Another worker took the call over (our lease expired): our result is not recorded."""


async def ask(
    conn: asyncpg.Connection,
    meeting: Aggregate,
    kind: str,
    account_id: str | None = None,
    correlation_id: str | None = None,
) -> None:
    """One call for `meeting`, after what it has recorded so far (saved in this same transaction)."""
    await conn.execute(
        "insert into provider_calls (tenant, request_id, kind, account_id, asked_after, correlation_id,"
        " trace_context) values ($1, $2, $3, $4, $5, $6, $7::jsonb)",
        meeting.tenant,
        meeting.id,
        kind,
        account_id,
        meeting.version + len(meeting.pending),
        correlation_id,
        carrier_to_store(),
    )
    await conn.execute("select pg_notify($1, '')", CALL_ASKED)


async def cause_of(conn: asyncpg.Connection, call: ProviderCall, stream_id: str) -> Causation:
    """The flow the call belongs to: the asker's correlation id, else that of the event it followed."""
    if call.correlation_id:
        return Causation(call.correlation_id)
    row = await conn.fetchrow(
        "select envelope->>'correlationid' as correlation, envelope->>'causationid' as cause"
        " from events where stream_id = $1 and stream_version = $2",
        stream_id,
        call.asked_after,
    )
    return Causation(row["correlation"], row["cause"]) if row else Causation(f"provider-call-{call.call_id}")


async def asked(conn: asyncpg.Connection, request_id: str, kind: str) -> bool:
    return bool(
        await conn.fetchval("select 1 from provider_calls where request_id = $1 and kind = $2", request_id, kind)
    )


async def pending(conn: asyncpg.Connection, request_id: str) -> list[str]:
    rows = await conn.fetch(
        "select kind from provider_calls where request_id = $1 and state = 'pending' order by call_id", request_id
    )
    return [r["kind"] for r in rows]


CLAIM = """
with heads as (
    select distinct on (request_id) call_id from provider_calls
    where state = 'pending' order by request_id, call_id)
select c.* from provider_calls c join heads using (call_id)
where c.state = 'pending' and c.due_at <= now() and (c.leased_until is null or c.leased_until <= now())
  and not (c.tenant = any($1::text[]))
order by c.due_at, c.call_id
limit 1
for update of c skip locked"""


async def claim(
    conn: asyncpg.Connection, worker: str, lease_seconds: float, busy_tenants: list[str]
) -> ProviderCall | None:
    """The oldest due call that heads its request's queue and nobody holds (call inside a transaction).

    Only a request's oldest pending call is eligible, so its calls run in order; `skip locked`
    and the lease let replicas share the rest. A lease that ran out (a worker died between
    call and result) makes the call eligible again: every call is safe to make twice."""
    # `c.state` is checked again on the locked row: a call finished after our snapshot was taken
    # is skipped, not made a second time after what followed it.
    row = await conn.fetchrow(CLAIM, busy_tenants)
    if row is None:
        return None
    lease = uuid.uuid4()
    await conn.execute(
        "update provider_calls set lease = $2, leased_until = now() + make_interval(secs => $3),"
        " attempts = attempts + 1, claimed_by = $4 where call_id = $1",
        row["call_id"],
        lease,
        lease_seconds,
        worker,
    )
    return ProviderCall(
        row["call_id"],
        row["tenant"],
        str(row["request_id"]),
        row["kind"],
        row["account_id"],
        tuple(row["excluded"]),
        row["attempts"] + 1,
        lease,
        row["asked_after"],
        row["correlation_id"],
        stored_carrier(row["trace_context"]),
    )


async def _held(conn, call: ProviderCall, sql: str, *args) -> None:
    done = await conn.execute(
        sql + " where call_id = $1 and lease = $2 and state = 'pending'", call.call_id, call.lease, *args
    )
    if done.split()[-1] == "0":
        raise LeaseLost(f"provider call {call.call_id}")


async def finish(conn: asyncpg.Connection, call: ProviderCall, outcome: str, result: dict | None = None) -> None:
    await _held(
        conn,
        call,
        "update provider_calls set state = 'done', outcome = $3, result = $4::jsonb,"
        " done_at = now(), leased_until = null",
        outcome,
        json.dumps(result) if result else None,
    )


async def later(conn: asyncpg.Connection, call: ProviderCall, delay_seconds: float, error: str) -> None:
    """A transient failure: the same call again after `delay_seconds`, still first in its request's queue."""
    await _held(
        conn,
        call,
        "update provider_calls set due_at = now() + make_interval(secs => $3), leased_until = null, last_error = $4",
        delay_seconds,
        error[:2000],
    )


async def retarget(
    conn: asyncpg.Connection, call: ProviderCall, kind: str, account_id: str | None, excluded: set[str], error: str = ""
) -> None:
    """The call becomes another one in the same place of the queue (another account, a create for an update)."""
    await _held(
        conn,
        call,
        "update provider_calls set kind = $3, account_id = $4, excluded = $5, attempts = 0,"
        " due_at = now(), leased_until = null, last_error = nullif($6, '')",
        kind,
        account_id,
        sorted(excluded),
        error[:2000],
    )


async def latest_made(conn: asyncpg.Connection, request_id: str) -> tuple[str, str] | None:
    """(provider, meeting id) of the request's last meeting made or found, also one the record refused."""
    row = await conn.fetchrow(
        "select result->>'provider' as provider, result->>'meeting_id' as meeting_id"
        " from provider_calls where request_id = $1 and kind = 'ensure' and state = 'done'"
        " and result ? 'meeting_id' order by done_at desc, call_id desc limit 1",
        request_id,
    )
    return (row["provider"], row["meeting_id"]) if row else None
