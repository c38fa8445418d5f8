"""How each step of the other services reads on the requester's timeline."""
from __future__ import annotations

from shared.events import Event
from shared.events.contracts import (
    Disposed, EquipmentReady, MeetingHeld, MeetingScheduled, RequestApproved, RequestRejected,
    RequestReturned, RequestVerified,
)


def progress_of(event: Event) -> dict | None:
    """`status`, `at`, `note` and details for the status page; None for events it ignores."""
    match event:
        case RequestVerified():
            return dict(status="verified", at=event.timing.finished_at)
        case RequestReturned():
            return dict(status="returned", at=event.timing.finished_at,
                        note=", ".join(event.missing_items) + (f" — {event.note}" if event.note else ""))
        case Disposed():
            return dict(status="disposed", at=event.timing.finished_at, note=event.note)
        case RequestApproved():
            return dict(status="approved", at=event.timing.finished_at)
        case RequestRejected():
            return dict(status="rejected", at=event.timing.finished_at, note=event.reason)
        case MeetingScheduled():
            return dict(status="scheduled", at=event.starts_at, join_url=event.join_url,
                        passcode=event.passcode, note=f"{event.provider}: {event.join_url}")
        case EquipmentReady():
            return dict(status="ready", at=event.ready_at)
        case MeetingHeld():
            return dict(status="held", at=event.ended_at)
    return None
