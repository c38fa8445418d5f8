"""What the pages and the API show: the inbox, one complaint with its history, the tracking page."""

from __future__ import annotations

from datetime import datetime

import asyncpg

from complaints.adapters import inbox, personal
from complaints.domain.complaint import CATEGORIES, KINDS, STATUSES, Complaint
from shared.domain import DomainRuleBroken
from shared.eventstore.aggregate import history
from shared.personal_data import record_access
from shared.tenants import TenantProfile

CHANNELS = {
    "web_form": "Formulir daring",
    "face_to_face": "Tatap muka",
    "complaint_box": "Kotak pengaduan",
    "whatsapp": "WhatsApp",
    "text_message": "SMS",
    "phone": "Telepon",
    "email": "Email",
    "social_media": "Media sosial",
}


def _row(row: asyncpg.Record, profile: TenantProfile, now: datetime) -> dict:
    calendar = profile.calendar()
    open_ = row["status"] != "closed"
    days_left = calendar.working_days_left(now, row["due_at"]) if row["due_at"] and open_ else None
    return {
        "complaint_id": str(row["complaint_id"]),
        "tracking_code": row["tracking_code"],
        "category": row["category"],
        "category_label": CATEGORIES[row["category"]],
        "kind": row["kind"],
        "kind_label": KINDS.get(row["kind"], "belum diklasifikasi"),
        "channel": row["channel"],
        "channel_label": CHANNELS.get(row["channel"], row["channel"]),
        "status": row["status"],
        "status_label": STATUSES[row["status"]],
        "received_at": row["received_at"].isoformat(),
        "due_at": row["due_at"] and row["due_at"].isoformat(),
        "days_left": days_left,
        "late": bool(open_ and row["due_at"] and row["due_at"] < now),
        "assigned": row["assigned"],
        "assignee": row["assignee"],
        "request_id": row["request_id"],
        "anonymous": row["anonymous"],
        "met_standard": row["met_standard"],
    }


async def inbox_of(conn: asyncpg.Connection, profile: TenantProfile, now: datetime, member: str | None = None) -> dict:
    """The officer's inbox (every open complaint), or a team member's (what was handed to them or
    to the team); saran and apresiasi apart."""
    rows = await inbox.open_ones(conn, profile.id, member, team_only=member is not None)
    others = await inbox.feedback(conn, profile.id)
    return {
        "complaints": [_row(r, profile, now) for r in rows],
        "feedback": [_row(r, profile, now) for r in others],
        "counts": {c: sum(1 for r in others if r["category"] == c) for c in ("suggestion", "appreciation")},
    }


async def readable(
    conn: asyncpg.Connection, tenant: str, complaint_id: str, reader: str, team_member: bool
) -> asyncpg.Record | None:
    """The complaint's inbox row, if the reader may see it: a member of the handling team reads
    only what was handed to the team or to them."""
    row = await inbox.by_id(conn, tenant, complaint_id)
    if row is not None and team_member and not (row["assigned"] and row["assignee"] in (None, reader)):
        raise DomainRuleBroken("complaint_id", "pengaduan ini tidak diserahkan kepada Anda", status=403)
    return row


async def complaint_of(
    conn: asyncpg.Connection,
    profile: TenantProfile,
    complaint_id: str,
    now: datetime,
    reader: str,
    team_member: bool = False,
) -> dict | None:
    """The whole complaint for the officer or the team: who and how to reach them (the read is
    recorded in the personal-data audit), their words, the history, what was written to them."""
    row = await readable(conn, profile.id, complaint_id, reader, team_member)
    if row is None:
        return None
    person = await personal.complainant(conn, str(row["complainant_ref"]))
    await record_access(
        conn,
        tenant=profile.id,
        actor=reader,
        action="read",
        subject_refs=[str(row["complainant_ref"])],
        purpose="penanganan pengaduan",
    )
    attached = await personal.attachment(conn, profile.id, complaint_id)
    return _row(row, profile, now) | {
        "name": person["name"],
        "email": person["email"],
        "whatsapp": person["whatsapp"],
        "summary": person["summary"],
        "history": await _history(conn, profile, complaint_id),
        "texts": [_text(t) for t in await personal.texts(conn, complaint_id)],
        "attachment": attached
        and attached["content"] is not None
        and {"filename": attached["filename"], "media_type": attached["media_type"]},
    }


async def tracking_of(conn: asyncpg.Connection, profile: TenantProfile, row: asyncpg.Record, now: datetime) -> dict:
    """For whoever holds the tracking code: the status, the dates and the answers, no names."""
    return _row(row, profile, now) | {
        "history": await _history(conn, profile, str(row["complaint_id"]), with_people=False),
        "answers": [_text(t) for t in await personal.texts(conn, str(row["complaint_id"])) if t["purpose"] == "answer"],
        "may_reopen": row["status"] in ("answered", "closed"),
    }


def _text(row: asyncpg.Record) -> dict:
    return {"purpose": row["purpose"], "body": row["body"], "written_at": row["written_at"].isoformat()}


async def _history(
    conn: asyncpg.Connection, profile: TenantProfile, complaint_id: str, with_people: bool = True
) -> list[dict]:
    events = await history(conn, Complaint, complaint_id, profile.id)
    return [step for event in events if (step := _step(event, profile, with_people))]


def _step(event, profile: TenantProfile, with_people: bool) -> dict | None:
    name = event.name
    if name == "complaint.received":
        what, at, who = (
            f"Diterima lewat {CHANNELS.get(event.channel, event.channel)}",
            event.received_at,
            event.recorded_by,
        )
        if event.kind:
            what += f"; diklasifikasi {KINDS[event.kind]}"
    elif name == "complaint.classified":
        what, at, who = f"Diklasifikasi: {KINDS[event.kind]}", event.classified_at, event.classified_by
    elif name == "complaint.assigned":
        what = "Diserahkan ke " + (
            f"anggota tim {event.assignee}" if event.assignee and with_people else "tim penanganan"
        )
        at, who = event.assigned_at, event.assigned_by
    elif name == "complaint.answered":
        what, at, who = "Dijawab kepada pengadu", event.answered_at, event.answered_by
    elif name == "complaint.resolved":
        met = "tepat waktu" if event.timing.met_standard else "melewati batas waktu"
        what, at, who = f"Selesai ({met})", event.timing.finished_at, event.resolved_by
    elif name == "complaint.reopened":
        what, at, who = "Dibuka kembali: jawaban belum menyelesaikan masalah", event.reopened_at, event.reopened_by
    else:
        return None
    return {"what": what, "at": at.isoformat(), "by": who if with_people else None}
