"""The execution report's form (laporan pelaksanaan): form fields in, the API's ExecutionReport out."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from provisioning.domain.meeting import Meeting
from provisioning.entrypoints.bodies import ExecutionReport
from shared.http import field_errors

LABELS = {
    "leading_official": "Jabatan pejabat yang memimpin",
    "officers_on_duty": "Petugas yang bertugas",
    "venue": "Lokasi",
    "held_on": "Hari/tanggal",
    "attendance": "Jumlah peserta hadir",
    "recording_kept": "Rekaman disimpan",
    "problems": "Kendala yang dihadapi",
    "started_at": "Waktu mulai",
    "ended_at": "Waktu selesai",
    "reason": "Alasan perbaikan",
}


def _text(form, name: str) -> str:
    return str(form.get(name) or "").strip()


def _local_moment(text: str, zone: ZoneInfo) -> datetime | str | None:
    """A `datetime-local` field is the tenant's wall clock; what does not parse goes on for pydantic to name."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def report_from_form(form, zone: ZoneInfo) -> tuple[ExecutionReport | None, dict[str, str]]:
    """The report, or the Indonesian rule broken per field."""
    data = {
        "leading_official": _text(form, "leading_official") or None,
        "officers_on_duty": [o.strip() for o in _text(form, "officers_on_duty").split(",") if o.strip()],
        "venue": _text(form, "venue") or None,
        "held_on": _text(form, "held_on") or None,
        "recording_kept": form.get("recording_kept") == "ya",
        "problems": _text(form, "problems"),
        "started_at": _local_moment(_text(form, "started_at"), zone),
        "ended_at": _local_moment(_text(form, "ended_at"), zone),
    }
    if _text(form, "attendance"):
        data["attendance"] = _text(form, "attendance")
    try:
        return ExecutionReport.model_validate(data), {}
    except ValidationError as invalid:
        return None, {e["field"]: e["rule"] for e in field_errors(invalid.errors())}


def _local_input(moment: datetime | None, zone: ZoneInfo) -> str:
    return f"{moment.astimezone(zone):%Y-%m-%dT%H:%M}" if moment else ""


def form_values(meeting: Meeting, venue: str | None, zone: ZoneInfo) -> dict[str, str]:
    """What the form starts with: the recorded start and end, the booked operators, the requested venue."""
    return {
        "officers_on_duty": ", ".join(meeting.operators),
        "venue": venue or "",
        "held_on": f"{meeting.starts_at.astimezone(zone):%Y-%m-%d}" if meeting.starts_at else "",
        "started_at": _local_input(meeting.started_at, zone),
        "ended_at": _local_input(meeting.ended_at, zone),
    }


def report_values(report, zone: ZoneInfo) -> dict[str, str]:
    """A filed (or corrected) report as the correction form starts with it."""
    return {
        "leading_official": report.leading_official or "",
        "officers_on_duty": ", ".join(report.officers_on_duty),
        "venue": report.venue or "",
        "held_on": report.held_on.isoformat() if report.held_on else "",
        "attendance": str(report.attendance),
        "recording_kept": "ya" if report.recording_kept else "",
        "problems": report.problems,
        "started_at": _local_input(report.started_at, zone),
        "ended_at": _local_input(report.ended_at, zone),
    }
