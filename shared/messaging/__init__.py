"""NATS JetStream: streams, the outbox relay and the consumer base."""

from shared.messaging.connect import connect_nats
from shared.messaging.consumer import Consumer, Delivery, Selective, apply_once, attach, dispatch
from shared.messaging.relay import OutboxRelay
from shared.messaging.streams import (
    DEAD_LETTER_STREAM,
    EVENTS_STREAM,
    ensure_streams,
    events_stream_config,
)

__all__ = [
    "Consumer",
    "DEAD_LETTER_STREAM",
    "Delivery",
    "dispatch",
    "EVENTS_STREAM",
    "OutboxRelay",
    "Selective",
    "apply_once",
    "attach",
    "connect_nats",
    "ensure_streams",
    "events_stream_config",
]
