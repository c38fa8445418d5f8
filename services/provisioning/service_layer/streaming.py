"""Live streaming when the requester asked, and the operators on duty as alternative hosts."""

from __future__ import annotations

import asyncpg

from provisioning.adapters import provider_calls, resources
from provisioning.domain.meeting import Meeting
from provisioning.domain.streaming import NOT_CONFIGURED, asked_for_streaming
from shared.domain import DomainRuleBroken


async def set_up_live_stream(conn: asyncpg.Connection, meeting: Meeting, special_needs: list[str]) -> None:
    """Right after the meeting is made or found. Streaming that cannot be set up never stops the
    meeting: it is recorded with the reason, so the technical team sees it."""
    if not asked_for_streaming(special_needs) or not meeting.meeting_id:
        return
    if await resources.live_stream_of(conn, meeting.tenant) is None:
        return meeting.record_live_stream_unavailable("not_configured", NOT_CONFIGURED)
    await provider_calls.ask(conn, meeting, "live_stream")


async def share_hosting(conn: asyncpg.Connection, meeting: Meeting) -> None:
    """The operators on duty may start the meeting when the host account's holder is away (set on the
    provider's meeting after this transaction; a refusal is logged, see outside_calls)."""
    if meeting.cancelled or not (meeting.meeting_id or meeting.booked):
        return
    await provider_calls.ask(conn, meeting, "alternative_hosts")


async def save_settings(conn: asyncpg.Connection, tenant: str, fields: dict) -> dict:
    """Buffers, retention and the stream; answers what GET shows (never the stream key)."""
    try:
        await resources.put_settings(conn, tenant, **fields)
    except asyncpg.CheckViolationError as incomplete:
        raise DomainRuleBroken(
            "stream_key", "alamat stream (RTMP), kunci stream dan halaman tayang harus diisi bersama"
        ) from incomplete
    return await resources.shown_settings(conn, tenant)
