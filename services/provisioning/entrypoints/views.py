"""What the JSON API shows of a meeting and of a day's schedule."""

from __future__ import annotations

from provisioning.domain.meeting import Meeting
from provisioning.domain.readiness import CHECK_NAMES


def link_status(meeting: Meeting) -> str | None:
    """The link as the team reads it: made, being made on the provider, or waiting for a free account."""
    if meeting.closed:
        return None
    if meeting.meeting_id:
        return "tersedia"
    return "sedang dibuat" if meeting.link_being_made else "menunggu akun host"


def meeting_view(meeting: Meeting) -> dict:
    return {
        "request_id": meeting.id,
        "meeting_id": meeting.meeting_id,
        "provider": meeting.provider,
        "join_url": meeting.join_url,
        "link_status": link_status(meeting),
        "account_id": meeting.account_id,
        "operators": meeting.operators,
        "kit_id": meeting.kit_id,
        "venue_id": meeting.venue_id,
        "booked_from": meeting.window.starts if meeting.window else None,
        "booked_until": meeting.window.ends if meeting.window else None,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "checks": {check: check in meeting.checks_done for check in CHECK_NAMES},
        "requester_must_bring": meeting.requester_supplies,
        "ready": meeting.ready,
        "started_at": meeting.started_at,
        "ended_at": meeting.ended_at,
        "held": meeting.held,
        "cancelled": meeting.cancelled,
        "failed": meeting.failed[0] if meeting.failed else None,
        "recording_url": None if meeting.recording_deleted else meeting.recording_url,
        "live_stream_page_url": meeting.live_stream_page_url,
        "live_stream_problem": meeting.live_stream_problem,
    }


def schedule_view(rows: list[dict]) -> dict:
    """Bookings of one day grouped: accounts, operators, kits, venues."""
    grouped: dict[str, dict[str, list]] = {"account": {}, "operator": {}, "kit": {}, "venue": {}}
    for row in rows:
        grouped[row["kind"]].setdefault(row["resource_id"], []).append(
            {"request_id": row["request_id"], "seat": row["slot"], "from": row["starts"], "until": row["ends"]}
        )
    return {
        "accounts": grouped["account"],
        "operators": grouped["operator"],
        "kits": grouped["kit"],
        "venues": grouped["venue"],
    }
