"""Turning payloads into envelopes and back, upcasting old versions on the way in."""

from __future__ import annotations

import shared.events.contracts  # noqa: F401  (registers every contract)
from shared.events.base import Event, model_for, upcast
from shared.events.envelope import CloudEvent, event_type, new_event_id, split_type

SUBJECT_ROOT = "vidcon"


def subject_for(tenant: str, event: type[Event] | Event) -> str:
    """`vidcon.<tenant>.<context>.<event>`, e.g. `vidcon.kaltara.approval.request_disposed`."""
    return f"{SUBJECT_ROOT}.{tenant}.{event.context}.{event.subject_token()}"


def envelope_for(
    event: Event,
    *,
    tenant: str,
    subject: str,
    stream_version: int,
    correlation_id: str,
    causation_id: str | None = None,
    event_id: str | None = None,
) -> CloudEvent:
    event_id = event_id or new_event_id()
    return CloudEvent(
        id=event_id,
        source=f"/vidcon/{event.context}",
        type=event.type(),
        subject=subject,
        tenant=tenant,
        correlationid=correlation_id,
        causationid=causation_id or event_id,
        streamversion=stream_version,
        data=event.model_dump(mode="json"),
    )


def decode(envelope: CloudEvent) -> Event:
    """The payload as the newest version of its model, whatever version was recorded."""
    name, version = split_type(envelope.type)
    version, data = upcast(name, version, dict(envelope.data))
    return model_for(name, version).model_validate(data)


__all__ = ["decode", "envelope_for", "event_type", "subject_for"]
