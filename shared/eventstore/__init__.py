"""The one event store: append with expected version, read, inbox, schema migrations."""
from shared.eventstore.errors import ConcurrencyError
from shared.eventstore.store import (
    RELAY, Causation, OutboxLag, Recorded, advance_relay_position, append, current_version,
    mark_processed, notify_channel, outbox_lag, read_after, read_stream, relay_position,
)

__all__ = [
    "RELAY", "Causation", "ConcurrencyError", "OutboxLag", "Recorded", "advance_relay_position", "append",
    "current_version", "mark_processed", "notify_channel", "outbox_lag", "read_after", "read_stream",
    "relay_position",
]
