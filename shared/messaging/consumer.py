"""The one consumer base: durable JetStream pull consumers that apply each event exactly once.

- `NACK_ON_ERROR`, never FastStream's default that terminates a message on the first error.
- `max_ack_pending=1` keeps one consumer's events in stream order (see ARCHITECTURE.md).
- A failure is either the event's fault or the world's (shared/messaging/failures.py). An
  event at fault is parked in the dead-letter stream, and acknowledged only once the dead
  letter is stored; the consumer moves on. Any other failure is retried with a delay that
  doubles up to `retry_cap`, for as long as it takes: the event stays unacknowledged, so with
  one event in flight the consumer waits on it and skips nothing (JetStream's `max_deliver`
  is unlimited).

The inbox, bounded (issue 11; docs/decisions.md, "Relay and consumers"):

- An event the handler does not handle (`handles(event)`, see `Selective`; a plain function
  handles everything) is acknowledged with no database write: applying nothing twice is
  harmless.
- A handled event with an outbox position (`Vidcon-Position`) is checked against the
  consumer's high-water mark for that outbox (`consumer_positions`), locked and raised in the
  same transaction as the effect: at or below the mark it is a duplicate. Exactly once rests
  on two facts. One relay per outbox publishes new positions in increasing order, and a relay
  that crashed publishes again only positions at or below what it already published; and the
  consumer has one event in flight and takes the stream in order. So when position p arrives,
  every lower position of that outbox reached the consumer earlier and was settled (applied,
  ignored or parked), and a copy at or below the mark is one it has seen.
- The inbox by event id (`processed_events`) remains for what a mark cannot judge, so it
  grows only with those: a redriven dead letter (`Vidcon-Redriven-From`, long after later
  events of its outbox), which only the consumer that parked it (`Vidcon-Redriven-For`)
  applies, once; and an event without a position (history from before the header). A handled
  event above the mark is also looked up there, so nothing applied before the marks existed
  (or by a redrive) is applied again.
- Tracing: each delivery is handled in a consumer span, child of the `traceparent` the relay
  sent (shared/messaging/spans.py), so what the handler appends carries the trace on.
- Parking an event raises the mark to its position, after the dead letter is stored and
  before the ack: a later copy from the relay is then a duplicate, and only the redrive
  brings it back.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from dataclasses import dataclass
from typing import Awaitable, Callable, Protocol

import asyncpg
import structlog
from faststream import AckPolicy
from faststream.nats import ConsumerConfig, JStream, NatsBroker, PullSub
from faststream.nats.annotations import NatsMessage
from nats.js import JetStreamContext
from nats.js.api import DeliverPolicy
from nats.js.errors import NotFoundError

from shared.events import CloudEvent, Event, decode, refuse_oversize
from shared.eventstore import advance_consumer_position, locked_consumer_position, mark_processed, was_processed
from shared.messaging.dead_letters import REDRIVEN_FOR, REDRIVEN_FROM, Arrival, park
from shared.messaging.failures import Undecodable, UnknownTenant, is_permanent, retry_delay
from shared.messaging.positions import STREAM_SOURCE, Position, position_of
from shared.messaging.spans import consuming
from shared.messaging.streams import EVENTS_STREAM

log = structlog.get_logger()


@dataclass(frozen=True)
class Delivery:
    """One event as a consumer receives it: envelope, decoded payload, place in the stream,
    and place in its source's outbox (see shared/messaging/positions.py)."""

    envelope: CloudEvent
    event: Event
    stream_sequence: int
    position: Position


Handler = Callable[[asyncpg.Connection, Delivery], Awaitable[None]]


@dataclass(frozen=True)
class Selective:
    """A handler that says which events it handles: the consumer acknowledges the others
    without calling it and without writing anything."""

    apply: Handler
    handles: Callable[[Event], bool]

    async def __call__(self, conn: asyncpg.Connection, delivery: Delivery) -> None:
        await self.apply(conn, delivery)


def handles(handler: Handler, event: Event) -> bool:
    """Whether `handler` has anything to do with `event`; a plain function handles every event."""
    says = getattr(handler, "handles", None)
    return says is None or says(event)


def dispatch(handlers: dict[type[Event], Handler]) -> Selective:
    """One handler per event class; events of other classes are acknowledged and ignored."""

    async def handle(conn: asyncpg.Connection, delivery: Delivery) -> None:
        handler = handlers.get(type(delivery.event))
        if handler is not None:
            await handler(conn, delivery)

    return Selective(handle, lambda event: type(event) in handlers)


@dataclass(frozen=True)
class Consumer:
    """`service`-`name` is the durable consumer's name; `subject` may use wildcards."""

    service: str
    name: str
    subject: str
    handle: Handler
    retry_first: float = 0.5
    retry_cap: float = 30.0
    """Seconds between tries of an event that fails for a transient reason: doubling, capped."""

    @property
    def durable(self) -> str:
        return f"{self.service}-{self.name}"


class HasPool(Protocol):
    pool: asyncpg.Pool


def known_tenants(holder: HasPool) -> Container[str] | None:
    """The tenants whose events the holder applies; None (any) for tools and tests that hold
    only a pool. A service's runtime has them."""
    return getattr(holder, "tenants", None)


def attach(broker: NatsBroker, holder: HasPool, consumer: Consumer) -> None:
    """Subscribe `consumer` on `broker`; its handler runs in a transaction on `holder.pool`.

    The pool is looked up per message, so the broker can be built (for AsyncAPI) without one.
    """

    @broker.subscriber(
        consumer.subject,
        stream=JStream(EVENTS_STREAM, declare=False),
        durable=consumer.durable,
        pull_sub=PullSub(batch_size=1, timeout=1.0),
        ack_policy=AckPolicy.NACK_ON_ERROR,
        config=ConsumerConfig(max_deliver=-1, ack_wait=30, max_ack_pending=1, deliver_policy=DeliverPolicy.ALL),
        title=consumer.durable,
    )
    async def on_event() -> None:
        # Not a `message: NatsMessage` parameter: FastStream resolves such a context field in a
        # worker thread, one thread hop per event (about a quarter of a replica's CPU, bench.pipeline).
        message: NatsMessage = broker.context.get_local("message")
        raw = message.raw_message
        with consuming(consumer.durable, raw.subject, raw.headers):
            try:
                await apply_once(
                    holder.pool,
                    consumer,
                    message.body,
                    raw.metadata.sequence.stream,
                    raw.headers,
                    known_tenants(holder),
                )
            except Exception as error:  # noqa: BLE001  each failure is either parked or retried
                await _after_failure(broker, holder.pool, consumer, message, error)


async def lift_delivery_limits(js: JetStreamContext, consumers: Iterable[Consumer]) -> None:
    """Unlimited deliveries also for durable consumers made when they were limited: a pull
    subscription binds to an existing consumer as it is, and with its old `max_deliver` JetStream
    would give up on a failing event after that many tries, and the consumer skip it."""
    for consumer in consumers:
        try:
            config = (await js.consumer_info(EVENTS_STREAM, consumer.durable)).config
        except NotFoundError:
            continue
        if config.max_deliver not in (None, -1):
            await js.add_consumer(EVENTS_STREAM, config=config.evolve(max_deliver=-1))
            log.info("consumer.delivery_limit_lifted", consumer=consumer.durable, was=config.max_deliver)


def read_delivery(
    raw: bytes, stream_sequence: int, headers: dict[str, str] | None, tenants: Container[str] | None = None
) -> Delivery:
    """The event as a handler gets it; `Unprocessable` or `EventTooLarge` when it is at fault."""
    refuse_oversize(raw)
    try:
        envelope = CloudEvent.from_json(raw)
        delivery = Delivery(
            envelope, decode(envelope), stream_sequence, position_of(headers, envelope.source, stream_sequence)
        )
    except (ValueError, LookupError) as error:  # pydantic's ValidationError is a ValueError
        raise Undecodable(f"{type(error).__name__}: {error}") from error
    if tenants is not None and envelope.tenant not in tenants:
        raise UnknownTenant(envelope.tenant)
    return delivery


async def apply_once(
    pool: asyncpg.Pool,
    consumer: Consumer,
    raw: bytes,
    stream_sequence: int,
    headers: dict[str, str] | None = None,
    tenants: Container[str] | None = None,
) -> bool:
    """Apply one event unless this consumer already did; True when it was applied now."""
    delivery = read_delivery(raw, stream_sequence, headers, tenants)
    envelope = delivery.envelope
    with structlog.contextvars.bound_contextvars(
        tenant=envelope.tenant,
        correlation_id=envelope.correlationid,
        event_id=envelope.id,
        consumer=consumer.durable,
    ):
        if not _concerns(consumer, delivery, headers or {}):
            log.debug("event.ignored", type=envelope.type)
            return False
        async with pool.acquire() as conn, conn.transaction():
            if not await _first_time(conn, consumer.durable, delivery, REDRIVEN_FROM in (headers or {})):
                log.info("event.duplicate_skipped")
                return False
            await consumer.handle(conn, delivery)
        log.info("event.applied", type=envelope.type)
        return True


def _concerns(consumer: Consumer, delivery: Delivery, headers: dict[str, str]) -> bool:
    """Whether the event is this consumer's to apply: its handler handles it, and a redriven
    copy is of a dead letter this consumer parked (every other consumer settled the event when
    it first came by, without leaving its id anywhere)."""
    redriven_for = headers.get(REDRIVEN_FOR)
    return handles(consumer.handle, delivery.event) and redriven_for in (None, consumer.durable)


async def _first_time(conn: asyncpg.Connection, consumer: str, delivery: Delivery, redriven: bool) -> bool:
    """Claim the event for `consumer` in this transaction; False when it was applied before."""
    outbox, position = delivery.position
    if redriven or outbox == STREAM_SOURCE:
        return await mark_processed(conn, consumer, delivery.envelope.id)
    if position <= await locked_consumer_position(conn, consumer, outbox):
        return False
    await advance_consumer_position(conn, consumer, outbox, position)
    return not await was_processed(conn, consumer, delivery.envelope.id)


async def _settle_parked(pool: asyncpg.Pool, consumer: Consumer, arrival: Arrival) -> None:
    """Raise the mark over a parked event, so that only its redrive brings it back."""
    try:
        outbox, position = position_of(arrival.headers, "", arrival.stream_sequence)
    except ValueError:  # a position header that is not one: the reason it was parked
        return
    if outbox not in ("", STREAM_SOURCE):
        async with pool.acquire() as conn:
            await advance_consumer_position(conn, consumer.durable, outbox, position)


async def _after_failure(
    broker: NatsBroker, pool: asyncpg.Pool, consumer: Consumer, message: NatsMessage, error: Exception
) -> None:
    attempt = message.raw_message.metadata.num_delivered
    if not is_permanent(error):
        await _retry_later(consumer, message, error, attempt, "event.failed_will_retry")
        return
    arrival = _arrival(message)
    try:
        await park(broker.connection.jetstream(), consumer.service, consumer.name, arrival, error, attempt)
        await _settle_parked(pool, consumer, arrival)
    except Exception as parking:  # noqa: BLE001  unacknowledged, it comes back and is parked then
        await _retry_later(consumer, message, parking, attempt, "event.parking_failed_will_retry")
        return
    log.error(
        "event.dead_lettered",
        consumer=consumer.durable,
        attempts=attempt,
        error=repr(error),
        event_id=_header(message, "Nats-Msg-Id"),
        stream_sequence=message.raw_message.metadata.sequence.stream,
    )
    await message.ack()


async def _retry_later(consumer: Consumer, message: NatsMessage, error: Exception, attempt: int, what: str) -> None:
    delay = retry_delay(attempt, consumer.retry_first, consumer.retry_cap)
    log.warning(
        what,
        consumer=consumer.durable,
        attempt=attempt,
        in_seconds=delay,
        error=repr(error),
        event_id=_header(message, "Nats-Msg-Id"),
        stream_sequence=message.raw_message.metadata.sequence.stream,
    )
    await message.nack(delay=delay)


def _arrival(message: NatsMessage) -> Arrival:
    raw = message.raw_message
    return Arrival(message.body, raw.subject, dict(raw.headers or {}), raw.metadata.sequence.stream)


def _header(message: NatsMessage, name: str) -> str | None:
    return (message.raw_message.headers or {}).get(name)
