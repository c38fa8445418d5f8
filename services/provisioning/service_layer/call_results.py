"""What the answer of an outside call records, in the transaction after the call.

Made: the fact the provider now holds (MeetingScheduled, MeetingRescheduled, LiveStreamConfigured,
RecordingDeleted). A passing failure (timeout, 5xx, 429, network): the same call later, with
capped backoff. A daily cap: the meeting moves to another free account. A refusal for good is
compensated: a create refused moves to another account, and with none left the booking is
released as HostAccountUnavailable (the meeting waits for a link, see failures.py); a move
refused becomes a create; a stream refused is LiveStreamUnavailable; a refused delete or
alternative-host list is logged for the team.
"""

from __future__ import annotations

import asyncpg
import structlog

from provisioning.adapters import bookings, provider_calls, resources
from provisioning.adapters.providers import DailyCapReached, ProvidedMeeting, refused_for_good
from provisioning.domain.meeting import Meeting
from provisioning.service_layer.call_preparation import Prepared
from provisioning.service_layer.context import SCHEMA, Provisioning
from provisioning.service_layer.scheduling import book_account, request_of
from provisioning.service_layer.streaming import set_up_live_stream
from shared.eventstore.aggregate import load, save
from shared.supervision import Backoff

log = structlog.get_logger()
RETRY = Backoff(first=1.0, cap=15.0)


async def record(conn: asyncpg.Connection, ctx: Provisioning, prepared: Prepared, outcome) -> str:
    call = prepared.call
    if isinstance(outcome, DailyCapReached) and call.kind == "ensure":
        return await _another_account(conn, ctx, prepared, outcome, capped=True)
    if isinstance(outcome, BaseException) and refused_for_good(outcome):
        return await REFUSED.get(call.kind, _refused)(conn, ctx, prepared, outcome)
    if isinstance(outcome, BaseException):
        await provider_calls.later(conn, call, RETRY.after(call.attempts), repr(outcome))
        return "later"
    return await MADE[call.kind](conn, ctx, prepared, outcome)


async def _meeting(conn, prepared: Prepared) -> Meeting:
    return await load(conn, Meeting, prepared.call.request_id, prepared.call.tenant)


async def _save(conn, meeting: Meeting, prepared: Prepared) -> None:
    if meeting.pending:
        await save(conn, SCHEMA, meeting, await provider_calls.cause_of(conn, prepared.call, meeting.stream_id))


async def _made(conn, ctx: Provisioning, prepared: Prepared, provided: ProvidedMeeting) -> str:
    """Rapat dijadwalkan, unless the meeting moved or closed meanwhile (then the delete asked after
    this call finds the meeting by the id kept here)."""
    call, spec = prepared.call, prepared.spec
    await provider_calls.finish(
        conn, call, "made", {"provider": prepared.provider, "meeting_id": provided.meeting_id, "host": provided.host}
    )
    meeting = await _meeting(conn, prepared)
    if meeting.closed or meeting.account_id != call.account_id or meeting.meeting_id == provided.meeting_id:
        return "made_not_recorded"
    request = await request_of(conn, call.request_id)
    meeting.follow(ctx.plan_for(call.tenant, request))
    meeting.record_scheduled(
        prepared.provider,
        provided.host,
        provided.meeting_id,
        provided.join_url,
        provided.passcode,
        spec.starts_at,
        spec.ends_at,
        spec.record,
        at=ctx.clock(),
    )
    await set_up_live_stream(conn, meeting, list(request["special_needs"]))
    await _save(conn, meeting, prepared)
    return "made"


async def _moved(conn, ctx: Provisioning, prepared: Prepared, _) -> str:
    await provider_calls.finish(conn, prepared.call, "made")
    meeting, spec = await _meeting(conn, prepared), prepared.spec
    if (
        not meeting.closed
        and meeting.meeting_id == prepared.meeting_id
        and (meeting.starts_at, meeting.ends_at) != (spec.starts_at, spec.ends_at)
    ):
        meeting.reschedule(spec.starts_at, spec.ends_at)
        await _save(conn, meeting, prepared)
    return "made"


async def _recordings_deleted(conn, ctx: Provisioning, prepared: Prepared, _) -> str:
    await provider_calls.finish(conn, prepared.call, "made")
    meeting = await _meeting(conn, prepared)
    _, days = await resources.settings_of(conn, meeting.tenant)
    meeting.delete_recording(ctx.clock(), days)
    await _save(conn, meeting, prepared)
    return "made"


async def _streaming(conn, ctx: Provisioning, prepared: Prepared, _) -> str:
    await provider_calls.finish(conn, prepared.call, "made")
    meeting = await _meeting(conn, prepared)
    if not meeting.closed and meeting.meeting_id == prepared.meeting_id:
        meeting.record_live_stream(prepared.page_url)
        await _save(conn, meeting, prepared)
    return "made"


async def _done(conn, ctx: Provisioning, prepared: Prepared, _) -> str:
    await provider_calls.finish(conn, prepared.call, "made")
    return "made"


async def _another_account(conn, ctx: Provisioning, prepared: Prepared, error: Exception, capped: bool = False) -> str:
    """The host cannot hold the meeting (daily cap, refusal): another free account, else the booking
    released as HostAccountUnavailable, and the meeting waits for a link."""
    call = prepared.call
    if capped:
        await bookings.cap_reached(conn, call.tenant, call.account_id, ctx.clock().date())
    meeting = await _meeting(conn, prepared)
    if meeting.closed or meeting.account_id != call.account_id:
        await provider_calls.finish(conn, call, "refused", {"error": str(error)})
        return "refused"
    await bookings.release(conn, call.tenant, meeting.id, ("account",))
    excluded = {*call.excluded, call.account_id}
    account = await book_account(conn, ctx, meeting, await request_of(conn, call.request_id), excluded)
    if account is None:
        await provider_calls.finish(conn, call, "no_account", {"error": str(error)})
    else:
        await provider_calls.retarget(conn, call, "ensure", account.account_id, excluded, repr(error))
    await _save(conn, meeting, prepared)
    return "no_account" if account is None else "another_account"


async def _move_refused(conn, ctx: Provisioning, prepared: Prepared, error: Exception) -> str:
    """The provider will not move its meeting (gone, say): a create on the booked account instead."""
    meeting = await _meeting(conn, prepared)
    if meeting.closed or not meeting.booked:
        return await _refused(conn, ctx, prepared, error)
    await provider_calls.retarget(
        conn, prepared.call, "ensure", meeting.account_id, set(prepared.call.excluded), repr(error)
    )
    return "create_instead"


async def _stream_refused(conn, ctx: Provisioning, prepared: Prepared, error: Exception) -> str:
    await provider_calls.finish(conn, prepared.call, "refused", {"error": str(error)})
    meeting = await _meeting(conn, prepared)
    if not meeting.closed and meeting.meeting_id == prepared.meeting_id:
        meeting.record_live_stream_unavailable("provider_refused", str(error))
        await _save(conn, meeting, prepared)
    return "refused"


async def _refused(conn, ctx: Provisioning, prepared: Prepared, error: Exception) -> str:
    log.warning(
        "provisioning.provider_refused",
        kind=prepared.call.kind,
        request_id=prepared.call.request_id,
        meeting_id=prepared.meeting_id,
        error=str(error),
    )
    await provider_calls.finish(conn, prepared.call, "refused", {"error": str(error)})
    return "refused"


MADE = {
    "ensure": _made,
    "update": _moved,
    "delete": _done,
    "delete_recordings": _recordings_deleted,
    "live_stream": _streaming,
    "alternative_hosts": _done,
}
REFUSED = {"ensure": _another_account, "update": _move_refused, "live_stream": _stream_refused}
