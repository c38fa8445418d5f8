"""Event contracts: the CloudEvents envelope, the payload models, versions and upcasting."""

from shared.events.base import Event, model_for, register, registered_events, upcast, upcaster
from shared.events.codec import decode, envelope_for, subject_for
from shared.events.envelope import (
    MAX_EVENT_BYTES,
    CloudEvent,
    EventTooLarge,
    event_type,
    refuse_oversize,
    split_type,
)

__all__ = [
    "MAX_EVENT_BYTES",
    "CloudEvent",
    "Event",
    "EventTooLarge",
    "decode",
    "envelope_for",
    "event_type",
    "model_for",
    "refuse_oversize",
    "register",
    "registered_events",
    "split_type",
    "subject_for",
    "upcast",
    "upcaster",
]
