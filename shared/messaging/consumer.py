"""The one consumer base: durable JetStream pull consumers that apply each event exactly once.

- `NACK_ON_ERROR`, never FastStream's default that terminates a message on the first error.
- The event id goes into the consumer's inbox table in the same transaction as its effect,
  so a redelivered event changes nothing.
- A failing event is redelivered with growing delay up to `max_deliver` times, then parked
  in the dead-letter stream with its error, and the consumer moves on.
- `max_ack_pending=1` keeps one consumer's events in stream order (see ARCHITECTURE.md).
"""
from __future__ import annotations

import traceback
from dataclasses import dataclass
from typing import Awaitable, Callable, Protocol

import asyncpg
import structlog
from faststream import AckPolicy
from faststream.nats import ConsumerConfig, JStream, NatsBroker, PullSub
from faststream.nats.annotations import NatsMessage
from nats.js.api import DeliverPolicy

from shared.events import CloudEvent, Event, decode
from shared.eventstore import mark_processed
from shared.messaging.positions import Position, position_of
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


def dispatch(handlers: dict[type[Event], Handler]) -> Handler:
    """One handler per event class; events of other classes are acknowledged and ignored."""

    async def handle(conn: asyncpg.Connection, delivery: Delivery) -> None:
        handler = handlers.get(type(delivery.event))
        if handler is not None:
            await handler(conn, delivery)

    return handle


@dataclass(frozen=True)
class Consumer:
    """`service`-`name` is the durable consumer's name; `subject` may use wildcards."""

    service: str
    name: str
    subject: str
    handle: Handler
    max_deliver: int = 5

    @property
    def durable(self) -> str:
        return f"{self.service}-{self.name}"


class HasPool(Protocol):
    pool: asyncpg.Pool


def attach(broker: NatsBroker, holder: HasPool, consumer: Consumer) -> None:
    """Subscribe `consumer` on `broker`; its handler runs in a transaction on `holder.pool`.

    The pool is looked up per message, so the broker can be built (for AsyncAPI) without one.
    """

    @broker.subscriber(
        consumer.subject, stream=JStream(EVENTS_STREAM, declare=False), durable=consumer.durable,
        pull_sub=PullSub(batch_size=1, timeout=1.0), ack_policy=AckPolicy.NACK_ON_ERROR,
        config=ConsumerConfig(max_deliver=consumer.max_deliver, ack_wait=30, max_ack_pending=1,
                              deliver_policy=DeliverPolicy.ALL),
        title=consumer.durable,
    )
    async def on_event(message: NatsMessage) -> None:
        try:
            await apply_once(holder.pool, consumer, message.body,
                             message.raw_message.metadata.sequence.stream, message.raw_message.headers)
        except Exception as error:  # noqa: BLE001  every failure is retried, then parked
            await _retry_or_park(broker, consumer, message, error)


async def apply_once(pool: asyncpg.Pool, consumer: Consumer, raw: bytes, stream_sequence: int,
                     headers: dict[str, str] | None = None) -> bool:
    """Apply one event unless this consumer already did; True when it was applied now."""
    envelope = CloudEvent.from_json(raw)
    delivery = Delivery(envelope, decode(envelope), stream_sequence,
                        position_of(headers, envelope.source, stream_sequence))
    with structlog.contextvars.bound_contextvars(
        tenant=envelope.tenant, correlation_id=envelope.correlationid, event_id=envelope.id,
        consumer=consumer.durable,
    ):
        async with pool.acquire() as conn, conn.transaction():
            if not await mark_processed(conn, consumer.durable, envelope.id):
                log.info("event.duplicate_skipped")
                return False
            await consumer.handle(conn, delivery)
        log.info("event.applied", type=envelope.type)
        return True


async def _retry_or_park(broker: NatsBroker, consumer: Consumer, message: NatsMessage,
                         error: Exception) -> None:
    delivered = message.raw_message.metadata.num_delivered
    if delivered < consumer.max_deliver:
        log.warning("event.failed_will_retry", consumer=consumer.durable, attempt=delivered,
                    error=repr(error))
        await message.nack(delay=min(0.2 * 2 ** delivered, 30.0))
        return
    await park(broker, consumer, message.body, error, delivered)
    await message.ack()


async def park(broker: NatsBroker, consumer: Consumer, raw: bytes, error: Exception,
               attempts: int) -> None:
    """Move an event that keeps failing to the dead-letter stream, with the error."""
    event_id = _event_id_or_unknown(raw)
    log.error("event.dead_lettered", consumer=consumer.durable, event_id=event_id,
              attempts=attempts, error=repr(error))
    await broker.publish(
        raw, subject=f"vidcon_dlq.{consumer.service}.{consumer.name}",
        headers={
            "Nats-Msg-Id": f"{consumer.durable}:{event_id}",
            "Vidcon-Consumer": consumer.durable,
            "Vidcon-Error": repr(error)[:1000],
            "Vidcon-Attempts": str(attempts),
            "Vidcon-Traceback": "".join(traceback.format_exception(error))[-2000:].replace("\n", " | "),
        },
        stream="VIDCON_DLQ",
    )


def _event_id_or_unknown(raw: bytes) -> str:
    try:
        return CloudEvent.from_json(raw).id
    except ValueError:
        return f"unparseable-{abs(hash(raw))}"
