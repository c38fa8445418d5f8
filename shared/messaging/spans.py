"""The spans of an event's hops: the relay's publish and a consumer's processing, joined through
the W3C headers the relay adds to each message (the trace of the transaction that appended it).

Attributes name the subject, the event and the flow's correlation id, never the payload: an
event's data may name people.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from opentelemetry.trace import SpanKind

from shared.eventstore import Recorded
from shared.tracing import continued, current_carrier


@contextmanager
def publishing(record: Recorded, headers: dict[str, str]) -> Iterator[dict[str, str]]:
    """`headers` and, when the event was appended in a trace, that trace's context as a child
    span of the relay, for the duration of the publish."""
    attributes = {
        "messaging.system": "nats",
        "messaging.operation.type": "send",
        "messaging.destination.name": record.nats_subject,
        "messaging.message.id": record.envelope.id,
        "vidcon.event.type": record.envelope.type,
        "vidcon.correlation_id": record.envelope.correlationid,
    }
    with continued(record.trace_context, f"send {record.envelope.type}", SpanKind.PRODUCER, attributes):
        yield headers | current_carrier()


@contextmanager
def consuming(durable: str, subject: str, headers: Mapping[str, str] | None) -> Iterator[None]:
    """A consumer span, child of the publish that sent the message; what the handler appends
    inside it carries the trace on."""
    headers = headers or {}
    attributes = {
        "messaging.system": "nats",
        "messaging.operation.type": "process",
        "messaging.destination.name": subject,
        "messaging.consumer.group.name": durable,
        "messaging.message.id": headers.get("Nats-Msg-Id", ""),
    }
    with continued(headers, f"process {durable}", SpanKind.CONSUMER, attributes):
        yield
