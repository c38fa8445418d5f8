"""The one event store: append with expected version, read, inbox, schema migrations."""

from shared.eventstore.errors import ConcurrencyError
from shared.eventstore.store import (
    RELAY,
    Causation,
    OutboxLag,
    Recorded,
    advance_consumer_position,
    advance_relay_position,
    append,
    current_version,
    locked_consumer_position,
    mark_processed,
    notify_channel,
    outbox_lag,
    read_after,
    read_after_settling,
    read_stream,
    relay_position,
    was_processed,
)

__all__ = [
    "RELAY",
    "Causation",
    "ConcurrencyError",
    "OutboxLag",
    "Recorded",
    "advance_consumer_position",
    "advance_relay_position",
    "append",
    "current_version",
    "locked_consumer_position",
    "mark_processed",
    "notify_channel",
    "outbox_lag",
    "read_after",
    "read_after_settling",
    "read_stream",
    "relay_position",
    "was_processed",
]
