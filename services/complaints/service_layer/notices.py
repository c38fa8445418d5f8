"""What the complainant is told, by the email and WhatsApp number they gave (none when anonymous
without contact): the tracking code on receipt, the answer, closing and reopening."""

from __future__ import annotations

import asyncpg

from complaints.adapters.personal import complainant
from complaints.domain.complaint import CATEGORIES, Complaint
from shared.notifications import enqueue
from shared.tenants import TenantProfile
from shared.web.formatting import tanggal_waktu

HEADLINES = {
    "received": "{category} Anda telah kami terima",
    "answered": "Jawaban atas pengaduan Anda",
    "closed": "Pengaduan Anda dinyatakan selesai",
    "reopened": "Pengaduan Anda dibuka kembali",
}


def tracking_url(public_url: str, tenant: str, code: str) -> str:
    return f"{public_url.rstrip('/')}/t/{tenant}/pengaduan/lacak/{code}"


def compose(profile: TenantProfile, complaint: Complaint, event: str, answer: str, url: str) -> tuple[str, str]:
    code = complaint.received.tracking_code
    headline = HEADLINES[event].format(category=CATEGORIES[complaint.category].capitalize())
    lines = [f"{headline}.", "", f"Kode lacak: {code}"]
    if complaint.due_at and event in ("received", "reopened"):
        lines.append(f"Batas waktu penyelesaian: {tanggal_waktu(complaint.due_at, profile.time_zone)}")
    if answer:
        lines += ["", "Jawaban:", answer]
    if event == "answered":
        lines += ["", "Bila jawaban ini belum menyelesaikan masalah, sampaikan lewat halaman lacak di bawah."]
    lines += ["", f"Lacak pengaduan: {url}", f"— {profile.name}"]
    return f"[{code}] {headline}", "\n".join(lines)


async def tell_complainant(
    conn: asyncpg.Connection,
    profile: TenantProfile,
    complaint: Complaint,
    cause_id: str,
    event: str,
    answer: str,
    public_url: str,
) -> None:
    """Queued with the change; sent later by the delivery loop, never inside this transaction."""
    ref = complaint.received.complainant_ref
    person = await complainant(conn, ref)
    if person is None:
        return
    url = tracking_url(public_url, profile.id, complaint.received.tracking_code)
    subject, body = compose(profile, complaint, event, answer, url)
    for channel in ("email", "whatsapp"):
        if person[channel] and getattr(profile.notifications, channel):
            await enqueue(
                conn,
                tenant=profile.id,
                about_id=complaint.id,
                cause_id=cause_id,
                channel=channel,
                contact_ref=ref,
                subject=subject,
                body=body,
            )
