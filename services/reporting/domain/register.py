"""Register pelaksanaan: one row per request, the facts its events state, no names of people.

Each field is written by one service's events, so a row is the same whatever order the
services' streams interleave in. Times are kept in UTC, so they compare as text. The outcome
is derived from the facts when the row is read.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Callable

Facts = Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]]


def utc(moment: str | None) -> str | None:
    """An ISO 8601 instant in UTC, so that two of them compare as text (most already are:
    taken as they are, since a replay calls this for every time of every event)."""
    if not moment:
        return None
    if moment[-1] == "Z":
        return moment[:-1] + "+00:00"
    if moment.endswith("+00:00"):
        return moment
    return datetime.fromisoformat(moment).astimezone(timezone.utc).isoformat()


def _submitted(data: dict[str, Any], _: dict[str, Any]) -> dict[str, Any]:
    return {
        "tracking_code": data["tracking_code"],
        "agency": data["agency"],
        "event_name": data["event_name"],
        "channel": data["channel"],
        "starts_at": utc(data["starts_at"]),
        "ends_at": utc(data["ends_at"]),
        "online_only": data["online_only"],
        "venue": data.get("venue"),
        "leading_official_position": data.get("leading_official_position"),
        "expected_participants": data.get("expected_participants"),
        "submitted_at": utc(data["submitted_at"]),
        "special_needs": data.get("special_needs", []),
    }


def _rescheduled(data: dict[str, Any], _: dict[str, Any]) -> dict[str, Any]:
    return {
        "starts_at": utc(data["starts_at"]),
        "ends_at": utc(data["ends_at"]),
        "rescheduled_at": utc(data["rescheduled_at"]),
    }


def _decided(decision: str) -> Facts:
    def facts(data: dict[str, Any], _: dict[str, Any]) -> dict[str, Any]:
        fields = {"decision": decision, "decided_at": utc(data["timing"]["finished_at"])}
        if decision == "rejected":
            fields["rejection_reason"] = data["reason"]
        return fields

    return facts


def _scheduled(data: dict[str, Any], envelope: dict[str, Any]) -> dict[str, Any]:
    return {
        "scheduled_at": utc(envelope["time"]),
        "provider": data["provider"],
        "host_account": data["host_account"],
        "meeting_id": data["meeting_id"],
        "recording_asked": data.get("recording", False),
    }


def _held(data: dict[str, Any], _: dict[str, Any]) -> dict[str, Any]:
    return {
        "held_started_at": utc(data["started_at"]),
        "held_ended_at": utc(data["ended_at"]),
        "attendance": data["attendance"],
        "recording_kept": data.get("recording_kept", False),
        "officers_on_duty": data.get("officers_on_duty", []),
        "report_venue": data.get("venue"),
        "report_leading_official": data.get("leading_official"),
        "problems": data.get("problems", ""),
    }


FACTS: dict[str, Facts] = {
    "request.submitted": _submitted,
    "request.rescheduled": _rescheduled,
    "request.withdrawn": lambda d, _: {"withdrawn_at": utc(d["withdrawn_at"])},
    "request.returned": lambda d, _: {"returned_at": utc(d["timing"]["finished_at"])},
    "request.resubmitted": lambda d, _: {"resubmitted_at": utc(d["resubmitted_at"])},
    "request.reopened": lambda d, _: {"reopened_at": utc(d["reopened_at"])},
    "request.approved": _decided("approved"),
    "request.rejected": _decided("rejected"),
    "meeting.scheduled": _scheduled,
    "meeting.rescheduled": lambda d, e: {"scheduled_at": utc(e["time"])},
    "meeting.cancelled": lambda d, e: {"cancelled_at": utc(e["time"]), "cancel_reason": d["reason"]},
    "equipment.ready": lambda d, _: {"ready_at": utc(d["ready_at"])},
    "meeting.held": _held,
    "execution_report.corrected": lambda d, e: _held(d, e) | {"report_corrected_at": utc(d["corrected_at"])},
    "recording.deleted": lambda d, _: {"recording_deleted_at": utc(d["deleted_at"])},
    "meeting.failed": lambda d, _: {"failed_at": utc(d["failed_at"]), "failure_reason": d["reason"]},
}

OUTCOMES = {
    "held": "Terlaksana",
    "failed": "Gagal",
    "withdrawn": "Dibatalkan pemohon",
    "rejected": "Ditolak",
    "returned": "Dikembalikan",
    "scheduled": "Rapat dijadwalkan",
    "approved": "Disetujui",
    "in_process": "Dalam proses",
}
FAILURES = {
    "no_link_in_time": "Tautan tidak tersedia tepat waktu",
    "equipment_missing": "Peralatan tidak tersedia",
    "not_held": "Rapat tidak terlaksana",
}


def outcome(row: dict[str, Any]) -> str:
    """Where the request ended (or stands): a failure or a report outranks what came before."""
    if row.get("failed_at"):
        return "failed"
    if row.get("held_started_at"):
        return "held"
    if row.get("withdrawn_at"):
        return "withdrawn"
    reopened = row.get("reopened_at") or ""
    decided = row.get("decision") and (row.get("decided_at") or "") >= reopened
    if decided and row["decision"] == "approved" and row.get("scheduled_at") and not row.get("cancelled_at"):
        return "scheduled"
    if decided:
        return str(row["decision"])
    if row.get("returned_at") and (row.get("resubmitted_at") or "") < row["returned_at"]:
        return "returned"
    return "in_process"


def was_returned(row: dict[str, Any]) -> bool:
    return bool(row.get("returned_at"))


def was_rescheduled(row: dict[str, Any]) -> bool:
    return bool(row.get("rescheduled_at"))
