"""Pemberitahuan: what the contact person is told at each status change (no personal data inside)."""

from __future__ import annotations

import asyncpg

from intake.domain.wording import tanggal_jam
from shared.notifications import enqueue
from shared.tenants import TenantProfile

STATUS_LABELS = {
    "submitted": "Diajukan",
    "amended": "Diperbaiki pemohon",
    "rescheduled": "Dijadwalkan ulang",
    "returned": "Dikembalikan untuk dilengkapi",
    "verified": "Diverifikasi",
    "disposed": "Didisposisikan",
    "approved": "Disetujui",
    "rejected": "Ditolak",
    "scheduled": "Rapat dijadwalkan",
    "ready": "Peralatan siap",
    "held": "Terlaksana",
    "withdrawn": "Dibatalkan pemohon",
    "survey": "Survei kepuasan layanan",
}


def compose(profile: TenantProfile, status_row, status: str, note: str, tracking_url: str) -> tuple[str, str]:
    """(subject, body) in Bahasa Indonesia; the meeting link and passcode once provisioned."""
    calendar = profile.calendar()
    starts, ends = calendar.local(status_row["starts_at"]), calendar.local(status_row["ends_at"])
    code, label = status_row["tracking_code"], STATUS_LABELS.get(status, status)
    lines = [
        f"Permohonan fasilitasi rapat daring {code}: {label}.",
        "",
        f"Kegiatan: {status_row['event_name']}",
        f"Instansi: {status_row['agency']}",
        f"Jadwal: {tanggal_jam(starts, profile.time_zone)} s.d. {ends:%H.%M}",
    ]
    if note:
        lines.append(f"Keterangan: {note}")
    if status_row["join_url"]:
        lines += [f"Tautan rapat: {status_row['join_url']}", f"Kode sandi: {status_row['passcode']}"]
    lines += ["", f"Lacak permohonan: {tracking_url}", f"— {profile.name}"]
    return f"[{code}] {label}: {status_row['event_name']}", "\n".join(lines)


async def notify_contact(
    conn: asyncpg.Connection,
    profile: TenantProfile,
    request_id: str,
    cause_id: str,
    status: str,
    note: str,
    public_url: str,
) -> None:
    """Queue one message per channel the tenant uses; sending happens later, never in this transaction."""
    row = await conn.fetchrow("select * from request_status where request_id = $1", request_id)
    if row is None or row["contact_ref"] is None:
        return
    tracking_url = f"{public_url.rstrip('/')}/t/{profile.id}/lacak/{row['tracking_code']}"
    subject, body = compose(profile, row, status, note, tracking_url)
    channels = [
        c for c, on in (("email", profile.notifications.email), ("whatsapp", profile.notifications.whatsapp)) if on
    ]
    for channel in channels:
        await enqueue(
            conn,
            tenant=profile.id,
            about_id=request_id,
            cause_id=cause_id,
            channel=channel,
            contact_ref=str(row["contact_ref"]),
            subject=subject,
            body=body,
        )
