"""A claimed outside call made ready: everything it needs read at claim time, so that making it
reads no database and holds no transaction."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Awaitable, Callable

import asyncpg

from provisioning.adapters import bookings, provider_calls, resources
from provisioning.adapters.provider_calls import ProviderCall
from provisioning.adapters.providers import MeetingProvider, MeetingSpec, ProvidedMeeting, ProviderRefused
from provisioning.domain.meeting import Meeting
from provisioning.domain.streaming import alternative_hosts
from provisioning.service_layer.context import Provisioning
from provisioning.service_layer.scheduling import request_of, spec_of
from shared.eventstore.aggregate import load

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
    return Prepared(
        call,
        account.provider,
        partial(ensure_on, ctx.providers[account.provider], account.host_user, spec, hosts),
        spec=spec,
    )


async def prepare(conn: asyncpg.Connection, ctx: Provisioning, call: ProviderCall) -> Prepared | None:
    """What the call will do, read at claim time; None when nothing is left to do."""
    if call.kind == "ensure":
        return await _prepare_ensure(conn, ctx, call)
    meeting = await load(conn, Meeting, call.request_id, call.tenant)
    if meeting is None:
        return None
    provider, meeting_id = await provider_calls.latest_made(conn, call.request_id) or (
        meeting.provider,
        meeting.meeting_id,
    )
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
