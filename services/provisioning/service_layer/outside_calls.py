"""Outside calls (Zoom, Jitsi) made outside any transaction: claimed, made, their result recorded.

A use case only asks for a call (a `provider_calls` row in its own transaction). A worker claims
the call under a lease and commits, makes it with no transaction open, and records its result in
a new transaction that first proves the lease is still its own. A worker that dies between call
and result leaves its lease to run out; the call is then made again, which is safe because every
call is idempotent (a create looks for the request's marker first, a delete of a meeting already
gone succeeds). Calls of different requests run side by side, a slow tenant's in a bounded share
of the slots, so it delays only itself.
"""

from __future__ import annotations

import asyncio

import asyncpg
import structlog
from opentelemetry.trace import SpanKind

from provisioning.adapters import provider_calls
from provisioning.adapters.provider_calls import LeaseLost
from provisioning.service_layer.call_preparation import Prepared, prepare
from provisioning.service_layer.call_results import record
from provisioning.service_layer.context import Provisioning
from shared.domain import DomainRuleBroken
from shared.supervision import Backoff
from shared.tracing import continued

log = structlog.get_logger()
LEASE_SECONDS = 60.0
CALL_SECONDS = 45.0  # under the lease: a call cut off here can never overlap its retry elsewhere
RECORD_ATTEMPTS = 8


async def claim_next(
    pool: asyncpg.Pool, ctx: Provisioning, worker: str, busy_tenants: list[str], lease_seconds: float = LEASE_SECONDS
) -> Prepared | None:
    """The next call to make, its claim committed; calls with nothing left to do are closed on the way."""
    while True:
        async with pool.acquire() as conn, conn.transaction():
            call = await provider_calls.claim(conn, worker, lease_seconds, busy_tenants)
            if call is None:
                return None
            prepared = await prepare(conn, ctx, call)
            if prepared is not None:
                return prepared
            await provider_calls.finish(conn, call, "nothing_to_do")


async def make(prepared: Prepared, timeout: float = CALL_SECONDS):
    """The outside call, no transaction open: its answer, or the error it ended with."""
    try:
        return await asyncio.wait_for(prepared.make(), timeout)
    except Exception as error:  # noqa: BLE001  call_results tells passing failures from refusals
        return error


async def make_and_record(pool: asyncpg.Pool, ctx: Provisioning, prepared: Prepared) -> str:
    """Make the call and record its result in a span of the trace that asked for it: the
    provider's HTTP calls are its children, and the events recorded carry the trace on."""
    call = prepared.call
    with continued(
        call.trace_context,
        f"provider call {call.kind}",
        SpanKind.INTERNAL,
        {
            "vidcon.provider": prepared.provider,
            "vidcon.provider_call.kind": call.kind,
            "vidcon.provider_call.attempt": call.attempts,
        },
    ):
        return await _make_and_record(pool, ctx, prepared)


async def _make_and_record(pool: asyncpg.Pool, ctx: Provisioning, prepared: Prepared) -> str:
    outcome = await make(prepared)
    done = await _record(pool, ctx, prepared, outcome)
    log.info(
        "provisioning.provider_call",
        kind=prepared.call.kind,
        request_id=prepared.call.request_id,
        tenant=prepared.call.tenant,
        attempt=prepared.call.attempts,
        outcome=done,
        error=repr(outcome) if isinstance(outcome, Exception) else None,
    )
    return done


async def _record(pool: asyncpg.Pool, ctx: Provisioning, prepared: Prepared, outcome) -> str:
    """The result in its own transaction, tried again while the meeting changes under it or
    PostgreSQL is away; past that the lease runs out and the call is made again."""
    backoff = Backoff(first=0.2, cap=5.0)
    for _ in range(RECORD_ATTEMPTS):
        try:
            async with pool.acquire() as conn, conn.transaction():
                return await record(conn, ctx, prepared, outcome)
        except LeaseLost:
            return "lease_lost"  # another worker made the call again after our lease ran out
        except DomainRuleBroken as refused:
            async with pool.acquire() as conn, conn.transaction():
                await provider_calls.finish(conn, prepared.call, "not_recorded", {"error": refused.message})
            return "not_recorded"
        except Exception as error:  # noqa: BLE001  ConcurrencyError, a database restart: read again
            log.warning("provisioning.provider_call_not_recorded_yet", call_id=prepared.call.call_id, error=repr(error))
            await asyncio.sleep(backoff.next())
    return "left_to_the_lease"


async def make_due_calls(pool: asyncpg.Pool, ctx: Provisioning, worker: str = "once") -> int:
    """Every call due now, one after the other (a round of the loop without its concurrency)."""
    made = 0
    while prepared := await claim_next(pool, ctx, worker, []):
        await make_and_record(pool, ctx, prepared)
        made += 1
    return made
