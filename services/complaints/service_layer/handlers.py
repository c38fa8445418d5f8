"""Complaints' use cases: file one, take it through its handling, let the complainant follow it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from complaints.adapters import inbox, personal
from complaints.domain.commands import FileComplaint
from complaints.domain.complaint import Complaint
from complaints.service_layer.notices import tell_complainant
from shared.domain import DomainRuleBroken
from shared.eventstore import Causation
from shared.eventstore.aggregate import load_existing, save
from shared.tenants import TenantProfile
from shared.tracking import new_tracking_code

SCHEMA = "complaints"


@dataclass(frozen=True)
class Attachment:
    filename: str
    media_type: str
    content: bytes


@dataclass(frozen=True)
class Context:
    """Who acts, when, and where the complainant's links point."""

    profile: TenantProfile
    now: datetime
    correlation_id: str
    public_url: str = ""
    by: str | None = None


async def file_complaint(
    conn: asyncpg.Connection, ctx: Context, command: FileComplaint, attachment: Attachment | None = None
) -> Complaint:
    """From the public page (channel `web_form`) or recorded by an officer (`ctx.by`) from another
    channel the tenant lists, perhaps classified at once."""
    profile = ctx.profile
    _check_channel(profile, command.channel, ctx.by)
    if command.kind and ctx.by is None:
        raise DomainRuleBroken("kind", "jenis pengaduan ditetapkan oleh petugas pengaduan; kosongkan", status=403)
    request_id = await _request_named(conn, profile.id, command.request_code, command.request_id)
    complainant_ref = await personal.add_complainant(
        conn, profile.id, name=command.name, email=command.email, whatsapp=command.whatsapp, summary=command.summary
    )
    complaint = Complaint.receive(
        str(uuid.uuid4()),
        profile.id,
        ctx.now,
        category=command.category,
        kind=command.kind,
        deadlines=profile.complaint_deadlines,
        calendar=profile.calendar(),
        tracking_code=new_tracking_code(),
        channel=command.channel,
        request_id=request_id,
        complainant_ref=complainant_ref,
        anonymous=command.anonymous,
        with_attachment=attachment is not None,
        recorded_by=ctx.by,
    )
    if attachment is not None:
        await personal.add_attachment(
            conn, profile.id, complaint.id, attachment.filename, attachment.media_type, attachment.content
        )
    await _save(conn, ctx, complaint, "received")
    return complaint


def _check_channel(profile: TenantProfile, channel: str, officer: str | None) -> None:
    if channel == "web_form":
        return
    if officer is None:
        raise DomainRuleBroken(
            "channel",
            "pengaduan lewat saluran lain dicatat oleh petugas pengaduan; di halaman ini gunakan web_form",
            status=403,
        )
    if channel not in profile.complaint_channels:
        accepted = ", ".join(channel.value for channel in profile.complaint_channels)
        raise DomainRuleBroken("channel", f"saluran pengaduan ini tidak dilayani; pilih: {accepted}")


async def _request_named(conn: asyncpg.Connection, tenant: str, code: str | None, request_id: str | None) -> str | None:
    """The request a complaint is about, by its tracking code (pages) or id (API): one this
    department knows, or none."""
    if not (code or request_id):
        return None
    found = await conn.fetchval(
        "select request_id from request_codes where tenant = $1 and (tracking_code = $2 or request_id = $3)",
        tenant,
        (code or "").strip().upper(),
        request_id or "",
    )
    if found is None:
        field = "request_code" if code else "request_id"
        raise DomainRuleBroken(field, "permohonan tidak dikenal di dinas ini; kosongkan bila tidak ada")
    return found


async def classify(conn: asyncpg.Connection, ctx: Context, complaint_id: str, kind: str) -> Complaint:
    complaint = await _load(conn, ctx, complaint_id)
    complaint.classify(kind, ctx.profile.complaint_deadlines, ctx.profile.calendar(), ctx.by, ctx.now)
    await _save(conn, ctx, complaint)
    return complaint


async def assign(conn: asyncpg.Connection, ctx: Context, complaint_id: str, assignee: str | None) -> Complaint:
    complaint = await _load(conn, ctx, complaint_id)
    complaint.assign(assignee or None, ctx.by, ctx.now)
    await _save(conn, ctx, complaint)
    return complaint


async def answer(
    conn: asyncpg.Connection, ctx: Context, complaint_id: str, text: str, team_member: bool = False
) -> Complaint:
    """The answer goes to the complainant by the contacts they gave and shows on the tracking page.
    A member of the handling team answers only what was handed to the team or to them."""
    complaint = await _load(conn, ctx, complaint_id)
    if team_member and not (complaint.assigned and complaint.assignee in (None, ctx.by)):
        raise DomainRuleBroken("complaint_id", "pengaduan ini tidak diserahkan kepada Anda", status=403)
    answer_ref = await personal.add_text(conn, ctx.profile.id, complaint.id, "answer", text, ctx.now)
    complaint.answer(answer_ref, ctx.by, ctx.now)
    await _save(conn, ctx, complaint, "answered", text)
    return complaint


async def resolve(conn: asyncpg.Connection, ctx: Context, complaint_id: str) -> Complaint:
    complaint = await _load(conn, ctx, complaint_id)
    complaint.close(ctx.profile.complaint_deadlines, ctx.profile.calendar(), ctx.by, ctx.now)
    await _save(conn, ctx, complaint, "closed")
    return complaint


async def reopen(conn: asyncpg.Connection, ctx: Context, complaint_id: str, reason: str) -> Complaint:
    """The complainant (on the tracking page, `ctx.by` None) or an officer on their word."""
    complaint = await _load(conn, ctx, complaint_id)
    complaint.reopen(ctx.profile.complaint_deadlines, ctx.profile.calendar(), ctx.now, by=ctx.by)
    await personal.add_text(conn, ctx.profile.id, complaint.id, "reopen", reason, ctx.now)
    await _save(conn, ctx, complaint, "reopened")
    return complaint


async def complaint_of_code(conn: asyncpg.Connection, tenant: str, code: str) -> asyncpg.Record:
    found = await inbox.by_code(conn, tenant, code)
    if found is None:
        raise DomainRuleBroken(
            "tracking_code", "kode lacak pengaduan tidak dikenal; periksa kembali kodenya", status=404
        )
    return found


async def _load(conn: asyncpg.Connection, ctx: Context, complaint_id: str) -> Complaint:
    return await load_existing(
        conn, Complaint, complaint_id, ctx.profile.id, field="complaint_id", missing="pengaduan tidak ditemukan"
    )


async def _save(
    conn: asyncpg.Connection, ctx: Context, complaint: Complaint, tell: str | None = None, answer_text: str = ""
) -> None:
    """Events, inbox row and any message to the complainant in one transaction."""
    [envelope, *_] = await save(conn, SCHEMA, complaint, Causation(ctx.correlation_id))
    if complaint.received.tracking_code:
        await inbox.keep(conn, complaint)
    if tell:
        await tell_complainant(conn, ctx.profile, complaint, envelope.id, tell, answer_text, ctx.public_url)


async def erase_complainant(conn: asyncpg.Connection, tenant: str, contact: str) -> list[str]:
    return await personal.erase(conn, tenant, contact)
