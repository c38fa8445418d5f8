"""Append-only event store on PostgreSQL, one schema per service.

Appends to different streams run side by side and share commits; two appends to one stream
at one expected version meet at its unique version, and the later one raises
`ConcurrencyError`. So a position can be committed after a higher one: readers by position
(`read_after`: the relay, the stream rebuild) read only up to the settled position (see
shared/eventstore/settled.py), and so never see a smaller position appear after a larger
one. (It used to take `LOCK TABLE events IN EXCLUSIVE MODE`, pyeventsourcing's "insert order
= commit order", which let one appender commit at a time: see docs/decisions.md.)
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Sequence, cast

import asyncpg

from shared.eventstore.errors import ConcurrencyError
from shared.eventstore.settled import Settled
from shared.events import CloudEvent, Event, envelope_for, refuse_oversize, subject_for
from shared.tracing import carrier_to_store, stored_carrier


@dataclass(frozen=True)
class Recorded:
    position: int
    nats_subject: str
    envelope: CloudEvent
    trace_context: dict[str, str] = field(default_factory=dict)
    """The W3C trace headers of the transaction that appended it (empty: not traced)."""


@dataclass(frozen=True)
class Causation:
    """Where a change came from: the correlation id of the whole flow and the causing event."""

    correlation_id: str
    causation_id: str | None = None


def notify_channel(schema: str) -> str:
    return f"{schema}_events"


async def current_version(conn: asyncpg.Connection, stream_id: str) -> int:
    version = await conn.fetchval("select max(stream_version) from events where stream_id = $1", stream_id)
    return version or 0


APPEND = (
    "with xact as materialized (select pg_current_xact_id()),"
    " current as materialized (select coalesce(max(stream_version), 0) as version from events"
    " where stream_id = ($2::text[])[1]),"
    " appended as (insert into events (event_id, stream_id, stream_version, tenant, type, nats_subject, envelope,"
    " trace_context)"
    " select e.*, $10::jsonb from unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::jsonb[])"
    " as e, current, xact where current.version = $9 returning 1)"
    " select (select count(*) from appended), pg_notify($8, '')"
)
"""One statement: the version check, the rows and the relay's wake-up. Positions are taken
only in rows that come out of the join with `xact`, so the transaction's id is taken before
them (settled.py needs it); a stream at another version joins nothing and takes none."""
STREAM_VERSION_TAKEN = "events_stream_id_stream_version_key"


async def append(
    conn: asyncpg.Connection,
    *,
    schema: str,
    tenant: str,
    stream_id: str,
    expected_version: int,
    events: Sequence[Event],
    cause: Causation,
) -> list[CloudEvent]:
    """Append `events` to a stream inside the caller's transaction; an event whose envelope is
    over `MAX_EVENT_BYTES` is refused (`EventTooLarge`) and nothing is appended."""
    if not conn.is_in_transaction():
        raise RuntimeError("append must run inside a transaction")
    if not events:
        return await _check_version(conn, stream_id, expected_version)
    envelopes = [
        envelope_for(
            event,
            tenant=tenant,
            subject=stream_id,
            stream_version=expected_version + i,
            correlation_id=cause.correlation_id,
            causation_id=cause.causation_id,
        )
        for i, event in enumerate(events, start=1)
    ]
    as_json = [e.model_dump_json() for e in envelopes]
    for event, text in zip(events, as_json):
        refuse_oversize(text.encode(), f"{type(event).__name__} of stream {stream_id}")
    rows = [
        (e.id, stream_id, e.streamversion, tenant, e.type, subject_for(tenant, ev), text)
        for e, ev, text in zip(envelopes, events, as_json)
    ]
    if not await _insert(conn, schema, stream_id, expected_version, rows):
        raise ConcurrencyError(stream_id, expected_version, await current_version(conn, stream_id))
    return envelopes


async def _check_version(conn: asyncpg.Connection, stream_id: str, expected: int) -> list[CloudEvent]:
    """Nothing to append: only the version check."""
    actual = await current_version(conn, stream_id)
    if actual != expected:
        raise ConcurrencyError(stream_id, expected, actual)
    return []


async def _insert(
    conn: asyncpg.Connection, schema: str, stream_id: str, expected: int, rows: Sequence[tuple[object, ...]]
) -> int:
    """How many rows went in (none: the stream is at another version); a concurrent append
    that took the same version first makes it a `ConcurrencyError`."""
    try:
        inserted, _ = await conn.fetchrow(
            APPEND, *(list(column) for column in zip(*rows)), notify_channel(schema), expected, carrier_to_store()
        )
        return int(inserted)
    except asyncpg.UniqueViolationError as error:
        if error.constraint_name != STREAM_VERSION_TAKEN:
            raise
        raise ConcurrencyError(stream_id, expected, None) from None


async def read_stream(conn: asyncpg.Connection, stream_id: str) -> list[CloudEvent]:
    rows = await conn.fetch("select envelope from events where stream_id = $1 order by stream_version", stream_id)
    return [CloudEvent.model_validate_json(row["envelope"]) for row in rows]


async def read_after(
    conn: asyncpg.Connection, position: int, limit: int, settled: Settled | None = None
) -> list[Recorded]:
    """Up to `limit` events after `position`, in position order, none past the settled
    position (a reader that reads again keeps its `settled`; a new one starts from `position`)."""
    upto = await (settled or Settled(position)).advance(conn)
    rows = await conn.fetch(
        "select position, nats_subject, envelope, trace_context from events where position > $1 and position <= $3"
        " order by position limit $2",
        position,
        limit,
        upto,
    )
    return [
        Recorded(
            r["position"],
            r["nats_subject"],
            CloudEvent.model_validate_json(r["envelope"]),
            stored_carrier(r["trace_context"]),
        )
        for r in rows
    ]


async def read_after_settling(
    conn: asyncpg.Connection, position: int, limit: int, settled: Settled, wait: float = 0.01
) -> list[Recorded]:
    """As `read_after`, but empty only once all that was appended before is settled: a
    append still open is waited for, not taken for the end."""
    while not (batch := await read_after(conn, position, limit, settled)) and settled.waiting:
        await asyncio.sleep(wait)
    return batch


RELAY = "outbox"
"""The one row of `relay_position`: how far the outbox relay has published."""


async def relay_position(conn: asyncpg.Connection) -> int:
    return await conn.fetchval("select position from relay_position where relay = $1", RELAY) or 0


async def advance_relay_position(conn: asyncpg.Connection, position: int) -> int:
    """Save that the relay published up to `position`; never moves back. Returns the saved one."""
    return cast(
        "int",
        await conn.fetchval(
            "insert into relay_position (relay, position) values ($1, $2) on conflict (relay)"
            " do update set position = greatest(relay_position.position, excluded.position)"
            " returning position",
            RELAY,
            position,
        ),
    )


@dataclass(frozen=True)
class OutboxLag:
    unpublished: int
    oldest_seconds: float
    """Age of the oldest event not yet published (0 when none)."""


async def outbox_lag(conn: asyncpg.Connection) -> OutboxLag:
    row = await conn.fetchrow(
        "select count(*) as unpublished,"
        " coalesce(extract(epoch from clock_timestamp() - min(recorded_at)), 0)::float8 as oldest"
        " from events where position > coalesce("
        "(select position from relay_position where relay = $1), 0)",
        RELAY,
    )
    return OutboxLag(row["unpublished"], row["oldest"])


async def mark_processed(conn: asyncpg.Connection, consumer: str, event_id: str) -> bool:
    """Record in the inbox by id that `consumer` applied `event_id`; False if it already had."""
    inserted = await conn.fetchval(
        "insert into processed_events (consumer, event_id) values ($1, $2) on conflict do nothing returning true",
        consumer,
        event_id,
    )
    return bool(inserted)


async def was_processed(conn: asyncpg.Connection, consumer: str, event_id: str) -> bool:
    """Whether the inbox holds `event_id` for `consumer` (applied by id, or before the marks)."""
    return cast(
        "bool",
        await conn.fetchval(
            "select exists (select 1 from processed_events where consumer = $1 and event_id = $2)", consumer, event_id
        ),
    )


async def locked_consumer_position(conn: asyncpg.Connection, consumer: str, outbox: str) -> int:
    """`consumer`'s high-water mark in `outbox` (0: none yet), its row locked until the end of
    the transaction; a concurrent delivery of the same event waits here and then sees it."""
    return cast(
        "int",
        await conn.fetchval(
            "insert into consumer_positions (consumer, outbox, position) values ($1, $2, 0)"
            " on conflict (consumer, outbox) do update set position = consumer_positions.position"
            " returning position",
            consumer,
            outbox,
        ),
    )


async def advance_consumer_position(conn: asyncpg.Connection, consumer: str, outbox: str, position: int) -> None:
    """Raise `consumer`'s high-water mark in `outbox` to `position`; it never moves back."""
    await conn.execute(
        "insert into consumer_positions (consumer, outbox, position) values ($1, $2, $3)"
        " on conflict (consumer, outbox) do update"
        " set position = greatest(consumer_positions.position, excluded.position)",
        consumer,
        outbox,
        position,
    )
