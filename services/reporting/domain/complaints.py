"""Pengaduan: one row per complaint, its kind, channel and deadline kept or missed; saran and
apresiasi are rows too, counted apart."""

from __future__ import annotations

from typing import Any
from reporting.domain.register import utc

KIND_NAMES = {
    "light": "Ringan",
    "normative": "Normatif",
    "not_supervisory": "Tidak berkadar pengawasan",
    "supervisory": "Berkadar pengawasan",
}


COMPLAINT_EVENTS = frozenset({"complaint.received", "complaint.classified", "complaint.resolved", "complaint.reopened"})


def complaint_facts(name: str, data: dict[str, Any]) -> dict[str, Any] | None:
    if name == "complaint.received":
        return {
            "category": data["category"],
            "kind": data["kind"],
            "channel": data["channel"],
            "request_id": data.get("request_id"),
            "received_at": utc(data["received_at"]),
            "due_at": utc(data["due_at"]),
        }
    if name == "complaint.classified":
        return {"kind": data["kind"], "due_at": utc(data["due_at"])}
    if name == "complaint.resolved":
        timing = data["timing"]
        return {
            "resolved_at": utc(timing["finished_at"]),
            "met": timing["met_standard"],
            "margin_minutes": timing["margin_minutes"],
        }
    if name == "complaint.reopened":
        return {"due_at": utc(data["due_at"]), "resolved_at": None, "met": None, "reopened": True}
    return None
