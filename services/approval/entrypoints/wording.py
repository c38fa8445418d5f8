"""The words the officials' pages use: roles, events and time left, in Bahasa Indonesia."""

from __future__ import annotations

from datetime import datetime

from shared import auth
from shared.tenants import TenantProfile
from shared.web.formatting import tanggal_waktu

ROLE_NAMES = {role.value: name for role, name in auth.ROLE_NAMES.items()}
EVENT_NAMES = {
    "request.verified": "Diverifikasi",
    "request.disposed": "Didisposisikan",
    "request.approved": "Disetujui",
    "request.rejected": "Ditolak",
    "request.returned": "Dikembalikan kepada pemohon",
    "request.resubmitted": "Diajukan kembali setelah diperbaiki",
    "request.reassigned": "Dialihkan",
}
DOCUMENT_NAMES = {
    "request_letter": "Surat permohonan",
    "request_form": "Formulir permintaan layanan",
    "participant_list": "Daftar peserta",
}
STATUS_NAMES = {
    "open": "Dalam proses",
    "returned": "Menunggu perbaikan pemohon",
    "closed": "Selesai diputuskan",
    "withdrawn": "Dibatalkan pemohon",
}


def role_name(profile: TenantProfile, role: str) -> str:
    """The performer the tenant's SOP names for the role, else the usual title."""
    named = [step.performed_by for step in profile.approval_steps if step.role == role and step.performed_by]
    return named[0] if named else ROLE_NAMES.get(role, role)


def duration(minutes: int) -> str:
    """`1 jam 20 menit`, `45 menit`, `2 jam`."""
    hours, rest = divmod(abs(minutes), 60)
    parts = [f"{hours} jam"] * bool(hours) + [f"{rest} menit"] * bool(rest or not hours)
    return " ".join(parts)


def time_left(item: dict) -> str:
    """`sisa 45 menit kerja` or `terlambat 1 jam 20 menit`."""
    if item["late"]:
        return f"terlambat {duration(item['time_left_minutes'])}" if item["time_left_minutes"] else "terlambat"
    return f"sisa {duration(item['time_left_minutes'])}" + (" kerja" if item["counts_working_time"] else "")


def used_percent(item: dict) -> int:
    """How much of the step's standard is used, 0-100 (the bar is full once late)."""
    whole = max(item["standard_minutes"], 1)
    return 100 if item["late"] else min(100, max(0, round(100 * (whole - item["time_left_minutes"]) / whole)))


def when(moment: datetime | str | None, zone: str) -> str:
    if moment is None:
        return ""
    return tanggal_waktu(datetime.fromisoformat(moment) if isinstance(moment, str) else moment, zone)
