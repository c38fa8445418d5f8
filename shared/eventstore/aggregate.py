"""Event-sourced aggregates: decisions record events; state is rebuilt by applying them."""
from __future__ import annotations

from typing import ClassVar, Self

import asyncpg

from shared.events import Event, decode
from shared.eventstore.store import Causation, append, read_stream


class Aggregate:
    """Subclasses define `when_<subject token>(event)` for each event they record."""

    stream_prefix: ClassVar[str]

    def __init__(self, id: str, tenant: str):
        self.id, self.tenant = id, tenant
        self.version = 0
        self.pending: list[Event] = []

    @property
    def stream_id(self) -> str:
        return f"{self.stream_prefix}-{self.id}"

    def record(self, event: Event) -> None:
        self._apply(event)
        self.pending.append(event)

    def _apply(self, event: Event) -> None:
        getattr(self, f"when_{event.subject_token()}")(event)

    def replay(self, history: list[Event]) -> Self:
        for event in history:
            self._apply(event)
            self.version += 1
        return self

    @classmethod
    def rehydrate(cls, id: str, tenant: str, history: list[Event]) -> Self:
        return cls(id, tenant).replay(history)


async def history(conn: asyncpg.Connection, cls: type[Aggregate], id: str, tenant: str) -> list[Event]:
    """The events of one aggregate of `tenant` (none if the stream is another tenant's)."""
    envelopes = await read_stream(conn, f"{cls.stream_prefix}-{id}")
    return [decode(e) for e in envelopes if e.tenant == tenant]


async def load(conn: asyncpg.Connection, cls: type[Aggregate], id: str, tenant: str):
    """The aggregate with its history, or None when it has none."""
    events = await history(conn, cls, id, tenant)
    return cls.rehydrate(id, tenant, events) if events else None


async def save(conn: asyncpg.Connection, schema: str, aggregate: Aggregate, cause: Causation):
    """Append what the aggregate recorded, at the version it was loaded at."""
    envelopes = await append(conn, schema=schema, tenant=aggregate.tenant,
                             stream_id=aggregate.stream_id, expected_version=aggregate.version,
                             events=aggregate.pending, cause=cause)
    aggregate.version += len(aggregate.pending)
    aggregate.pending = []
    return envelopes
