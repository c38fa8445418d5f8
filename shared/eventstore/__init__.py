"""The one event store: append with expected version, read, inbox, schema migrations."""
from shared.eventstore.errors import ConcurrencyError
from shared.eventstore.store import (
    Causation, Recorded, append, current_version, mark_processed, notify_channel, read_after,
    read_stream,
)

__all__ = [
    "Causation", "ConcurrencyError", "Recorded", "append", "current_version", "mark_processed",
    "notify_channel", "read_after", "read_stream",
]
