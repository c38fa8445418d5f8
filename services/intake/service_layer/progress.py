"""How each step of the other services reads on the requester's timeline."""

from __future__ import annotations

from shared.events import Event
from shared.events.contracts import (
    Disposed,
    EquipmentReady,
    MeetingHeld,
    MeetingScheduled,
    RequestApproved,
    RequestRejected,
    RequestReturned,
    RequestVerified,
)


def progress_of(event: Event) -> dict | None:
    """`status`, `note` and details for the status page; None for events it ignores."""
    match event:
        case RequestVerified():
            return dict(status="verified")
        case RequestReturned():
            return dict(
                status="returned", note=", ".join(event.missing_items) + (f" — {event.note}" if event.note else "")
            )
        case Disposed():
            return dict(status="disposed", note=event.note)
        case RequestApproved():
            return dict(status="approved")
        case RequestRejected():
            return dict(status="rejected", note=event.reason)
        case MeetingScheduled():
            return dict(
                status="scheduled",
                join_url=event.join_url,
                passcode=event.passcode,
                note=f"Rapat dibuat di {event.provider.capitalize()}",
            )
        case EquipmentReady():
            return dict(status="ready")
        case MeetingHeld():
            return dict(status="held")
    return None
