"""Live streaming when the requester asked, and the operators on duty as alternative hosts."""
from __future__ import annotations

import asyncpg

from provisioning.adapters import resources
from provisioning.adapters.providers import ProviderRefused
from provisioning.domain.meeting import Meeting
from provisioning.domain.streaming import NOT_CONFIGURED, alternative_hosts, asked_for_streaming
from provisioning.service_layer.context import Provisioning
from shared.domain import DomainRuleBroken


async def set_up_live_stream(conn: asyncpg.Connection, ctx: Provisioning, meeting: Meeting,
                             special_needs: list[str]) -> None:
    """Right after the meeting is made or found. Streaming that cannot be set up never stops the
    meeting: it is recorded with the reason, so the technical team sees it."""
    if not asked_for_streaming(special_needs) or not meeting.meeting_id:
        return
    stream = await resources.live_stream_of(conn, meeting.tenant)
    if stream is None:
        return meeting.record_live_stream_unavailable("not_configured", NOT_CONFIGURED)
    try:
        await ctx.providers[meeting.provider].set_live_stream(meeting.meeting_id, stream)
    except ProviderRefused as refused:
        return meeting.record_live_stream_unavailable("provider_refused", str(refused))
    meeting.record_live_stream(stream.page_url)


async def share_hosting(conn: asyncpg.Connection, ctx: Provisioning, meeting: Meeting) -> None:
    """The operators on duty may start the meeting when the host account's holder is away."""
    if not meeting.meeting_id or meeting.cancelled:
        return
    emails = alternative_hosts(await resources.zoom_emails(conn, meeting.tenant, meeting.operators))
    try:
        await ctx.providers[meeting.provider].set_alternative_hosts(meeting.meeting_id, emails)
    except ProviderRefused as refused:
        raise DomainRuleBroken("operators", f"host alternatif tidak dapat dipasang: {refused}"
                               " (periksa email Zoom operator)", status=422) from refused


async def save_settings(conn: asyncpg.Connection, tenant: str, fields: dict) -> dict:
    """Buffers, retention and the stream; answers what GET shows (never the stream key)."""
    try:
        await resources.put_settings(conn, tenant, **fields)
    except asyncpg.CheckViolationError as incomplete:
        raise DomainRuleBroken("stream_key", "alamat stream (RTMP), kunci stream dan halaman tayang harus"
                               " diisi bersama") from incomplete
    return await resources.shown_settings(conn, tenant)
