"""Loading and saving event-sourced aggregates through the event store."""

from __future__ import annotations

import uuid
from typing import TypeVar

import asyncpg

from shared.domain import Aggregate, DomainRuleBroken
from shared.events import CloudEvent, Event, decode
from shared.eventstore.store import Causation, append, read_stream

A = TypeVar("A", bound=Aggregate)


async def history(conn: asyncpg.Connection, cls: type[Aggregate], id: str, tenant: str) -> list[Event]:
    """The events of one aggregate of `tenant` (none if the stream is another tenant's)."""
    envelopes = await read_stream(conn, f"{cls.stream_prefix}-{id}")
    return [decode(e) for e in envelopes if e.tenant == tenant]


async def load(conn: asyncpg.Connection, cls: type[A], id: str, tenant: str) -> A | None:
    """The aggregate with its history, or None when it has none."""
    events = await history(conn, cls, id, tenant)
    return cls.rehydrate(id, tenant, events) if events else None


async def save(conn: asyncpg.Connection, schema: str, aggregate: Aggregate, cause: Causation) -> list[CloudEvent]:
    """Append what the aggregate recorded, at the version it was loaded at."""
    envelopes = await append(
        conn,
        schema=schema,
        tenant=aggregate.tenant,
        stream_id=aggregate.stream_id,
        expected_version=aggregate.version,
        events=aggregate.pending,
        cause=cause,
    )
    aggregate.version += len(aggregate.pending)
    aggregate.pending = []
    return envelopes


async def load_existing(conn: asyncpg.Connection, cls: type[A], id: str, tenant: str, *, field: str, missing: str) -> A:
    """The aggregate, or a 404 naming `field` with the `missing` message (also for an id that is
    not a UUID, which no stream has)."""
    try:
        uuid.UUID(id)
    except ValueError:
        raise DomainRuleBroken(field, missing, status=404) from None
    found = await load(conn, cls, id, tenant)
    if found is None:
        raise DomainRuleBroken(field, missing, status=404)
    return found
