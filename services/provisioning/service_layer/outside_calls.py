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
import os
import socket
import uuid
from collections import Counter
from dataclasses import dataclass
from functools import partial
from typing import Awaitable, Callable

import asyncpg
import structlog

from provisioning.adapters import bookings, provider_calls, resources
from provisioning.adapters.provider_calls import LeaseLost, ProviderCall
from provisioning.adapters.providers import MeetingProvider, MeetingSpec, ProvidedMeeting, ProviderRefused
from provisioning.domain.meeting import Meeting
from provisioning.domain.streaming import alternative_hosts
from provisioning.service_layer.call_results import record
from provisioning.service_layer.context import Provisioning
from provisioning.service_layer.scheduling import request_of, spec_of
from shared.domain import DomainRuleBroken
from shared.eventstore import ConcurrencyError
from shared.eventstore.aggregate import load

log = structlog.get_logger()
CONCURRENCY = 8
LEASE_SECONDS = 60.0
CALL_SECONDS = 45.0  # under the lease: a call cut off here can never overlap its retry elsewhere
POLL_SECONDS = 0.5
CLOSED_SKIPS = ("update", "live_stream", "alternative_hosts")


@dataclass(frozen=True)
class Prepared:
    """A claimed call with everything it needs, so that making it reads no database."""

    call: ProviderCall
    provider: str
    make: Callable[[], Awaitable]
    meeting_id: str | None = None
    spec: MeetingSpec | None = None
    page_url: str | None = None


async def ensure_on(provider: MeetingProvider, host: str, spec: MeetingSpec, hosts: list[str]) -> ProvidedMeeting:
    """Every host of the tenant is searched for the request's marker first: a meeting made before a
    crash or a timeout is found wherever an earlier booking had put it, and never made twice."""
    provided = await provider.ensure_meeting(host, spec, hosts)
    if provided.host == host:
        return provided
    await provider.delete_meeting(provided.meeting_id)  # a leftover on a host we no longer hold
    return await provider.ensure_meeting(host, spec, [host])


async def _refuse(reason: str) -> None:
    raise ProviderRefused(reason)


async def _prepare_ensure(conn, ctx: Provisioning, call: ProviderCall) -> Prepared:
    accounts = await bookings.host_accounts(conn, call.tenant)
    spec = spec_of(await request_of(conn, call.request_id), ctx.time_zone_of(call.tenant))
    account = next((a for a in accounts if a.account_id == call.account_id), None)
    if account is None:
        return Prepared(call, "", partial(_refuse, f"akun host {call.account_id} tidak aktif"), spec=spec)
    hosts = [a.host_user for a in accounts if a.provider == account.provider]
    return Prepared(call, account.provider, partial(ensure_on, ctx.providers[account.provider],
                                                    account.host_user, spec, hosts), spec=spec)


async def prepare(conn: asyncpg.Connection, ctx: Provisioning, call: ProviderCall) -> Prepared | None:
    """What the call will do, read at claim time; None when nothing is left to do."""
    if call.kind == "ensure":
        return await _prepare_ensure(conn, ctx, call)
    meeting = await load(conn, Meeting, call.request_id, call.tenant)
    provider, meeting_id = await provider_calls.latest_made(conn, call.request_id) or (
        meeting.provider, meeting.meeting_id)
    if meeting_id is None or (meeting.closed and call.kind in CLOSED_SKIPS):
        return None
    client, on = ctx.providers[provider], partial(Prepared, call, provider, meeting_id=meeting_id)
    if call.kind == "delete":
        return on(partial(client.delete_meeting, meeting_id))
    if call.kind == "delete_recordings":
        return on(partial(client.delete_recordings, meeting_id))
    if call.kind == "update":
        spec = spec_of(await request_of(conn, call.request_id), ctx.time_zone_of(call.tenant))
        return on(partial(client.update_meeting, meeting_id, spec), spec=spec)
    if call.kind == "live_stream":
        stream = await resources.live_stream_of(conn, call.tenant)
        return stream and on(partial(client.set_live_stream, meeting_id, stream), page_url=stream.page_url)
    emails = alternative_hosts(await resources.zoom_emails(conn, call.tenant, meeting.operators))
    return on(partial(client.set_alternative_hosts, meeting_id, emails))


async def claim_next(pool: asyncpg.Pool, ctx: Provisioning, worker: str, busy_tenants: list[str],
                     lease_seconds: float = LEASE_SECONDS) -> Prepared | None:
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
    outcome = await make(prepared)
    for attempt in range(3):
        try:
            async with pool.acquire() as conn, conn.transaction():
                done = await record(conn, ctx, prepared, outcome)
            break
        except ConcurrencyError:
            continue  # the meeting changed meanwhile (a withdrawal, a webhook): read it again
        except LeaseLost:
            done = "lease_lost"  # another worker made the call again after our lease ran out
            break
        except DomainRuleBroken as refused:
            async with pool.acquire() as conn, conn.transaction():
                await provider_calls.finish(conn, prepared.call, "not_recorded", {"error": refused.message})
            done = "not_recorded"
            break
    else:
        done = "left_to_the_lease"
    log.info("provisioning.provider_call", kind=prepared.call.kind, request_id=prepared.call.request_id,
             tenant=prepared.call.tenant, attempt=prepared.call.attempts, outcome=done,
             error=repr(outcome) if isinstance(outcome, Exception) else None)
    return done


async def make_due_calls(pool: asyncpg.Pool, ctx: Provisioning, worker: str = "once") -> int:
    """Every call due now, one after the other (a round of the loop without its concurrency)."""
    made = 0
    while prepared := await claim_next(pool, ctx, worker, []):
        await make_and_record(pool, ctx, prepared)
        made += 1
    return made


class CallWorker:
    """Up to `concurrency` calls at once; one tenant holds at most half of them."""

    def __init__(self, pool: asyncpg.Pool, ctx: Provisioning, name: str | None = None,
                 concurrency: int = CONCURRENCY, poll_seconds: float = POLL_SECONDS):
        self.pool, self.ctx, self.concurrency, self.poll_seconds = pool, ctx, concurrency, poll_seconds
        self.name = name or f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self.share = max(1, concurrency // 2)
        self.running: dict[asyncio.Task, str] = {}
        self._wake = asyncio.Event()

    async def run(self) -> None:
        try:
            while True:
                await self.start_due()
                try:
                    await asyncio.wait_for(self._wake.wait(), self.poll_seconds)
                except TimeoutError:
                    pass
                self._wake.clear()
        finally:
            for task in self.running:
                task.cancel()  # their leases run out; another worker makes those calls again

    async def start_due(self) -> int:
        started = 0
        while len(self.running) < self.concurrency:
            busy = [tenant for tenant, n in Counter(self.running.values()).items() if n >= self.share]
            prepared = await claim_next(self.pool, self.ctx, self.name, busy)
            if prepared is None:
                break
            task = asyncio.create_task(make_and_record(self.pool, self.ctx, prepared))
            self.running[task] = prepared.call.tenant
            task.add_done_callback(self._finished)
            started += 1
        return started

    def _finished(self, task: asyncio.Task) -> None:
        self.running.pop(task, None)
        if not task.cancelled() and task.exception() is not None:
            log.warning("provisioning.provider_call_failed", error=repr(task.exception()))
        self._wake.set()
