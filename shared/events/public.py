"""What other agencies may read: for each event, the fields copied to the public stream.

An event not listed here is never published outside the department. No personal data, no
user ids of officials, no join links or passcodes, no tracking codes (they open the status
page) and no references into personal-data stores.
"""
from __future__ import annotations

from shared.events.envelope import CloudEvent, split_type

TIMING = ("request_id", "timing")
PUBLIC_FIELDS: dict[str, tuple[str, ...]] = {
    "request.submitted": ("request_id", "agency", "event_name", "starts_at", "ends_at", "online_only",
                          "channel", "submitted_at"),
    "request.withdrawn": ("request_id", "withdrawn_at"),
    "request.verified": TIMING,
    "request.returned": TIMING,
    "request.disposed": (*TIMING, "to_step", "to_role"),
    "request.approved": TIMING,
    "request.rejected": TIMING,
    "meeting.scheduled": ("request_id", "provider", "starts_at", "ends_at"),
    "equipment.ready": ("request_id", "ready_at"),
    "meeting.held": ("request_id", "started_at", "ended_at", "attendance"),
    "complaint.received": ("complaint_id", "kind", "channel", "received_at", "due_at"),
    "complaint.resolved": ("complaint_id", "timing"),
}
PUBLIC_ROOT = "vidcon_public"


def public_copy(envelope: CloudEvent, internal_subject: str) -> tuple[str, CloudEvent] | None:
    """The public subject and envelope for `envelope`, or None when it stays inside."""
    fields = PUBLIC_FIELDS.get(split_type(envelope.type)[0])
    if fields is None:
        return None
    data = {key: envelope.data[key] for key in fields if key in envelope.data}
    subject = PUBLIC_ROOT + internal_subject.removeprefix("vidcon")
    return subject, envelope.model_copy(update={"data": data})
