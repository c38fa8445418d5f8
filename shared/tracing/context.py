"""A trace context as W3C headers (`traceparent`, `tracestate`): taken from the work in progress,
stored with what it asks for, and continued by whoever does that later."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from opentelemetry import propagate, trace
from opentelemetry.trace import Span, SpanKind

TRACER_NAME = "vidcon"


def installed() -> bool:
    """Whether a tracer provider is installed: without one, nothing here touches propagation,
    so that tracing off costs a check per hop (see docs/decisions.md, "Traces")."""
    return not isinstance(trace.get_tracer_provider(), trace.ProxyTracerProvider)


def current_carrier() -> dict[str, str]:
    """The current span's context as headers; empty outside any trace (or with tracing off)."""
    carrier: dict[str, str] = {}
    if not installed():
        return carrier
    propagate.inject(carrier)
    return carrier


def carrier_to_store() -> str | None:
    """`current_carrier` as the JSON a `trace_context jsonb` column keeps; None outside a trace."""
    carrier = current_carrier()
    return json.dumps(carrier) if carrier else None


def stored_carrier(column: str | None) -> dict[str, str]:
    """What `carrier_to_store` kept (asyncpg returns jsonb as text)."""
    return json.loads(column) if column else {}


@contextmanager
def continued(
    carrier: Mapping[str, str] | None,
    name: str,
    kind: SpanKind = SpanKind.INTERNAL,
    attributes: Mapping[str, str | int] | None = None,
) -> Iterator[Span | None]:
    """A span, child of the trace `carrier` names, current for the block; none when the carrier
    holds no trace (work that no traced request started stays untraced, not a trace of its own)."""
    if not carrier or not installed():
        yield None
        return
    parent = propagate.extract(dict(carrier))
    if not trace.get_current_span(parent).get_span_context().is_valid:
        yield None
        return
    tracer = trace.get_tracer(TRACER_NAME)
    with tracer.start_as_current_span(name, context=parent, kind=kind, attributes=dict(attributes or {})) as span:
        yield span


def recording() -> bool:
    """Whether the current span is being recorded (tracing on, inside a sampled trace)."""
    return trace.get_current_span().is_recording()


def link_to(carrier: Mapping[str, str], why: str) -> None:
    """Link the current span to the trace `carrier` names, when that is another trace: a person's
    decision, days after a submission, goes on in the submission's trace and links back to the
    click that made it."""
    span = trace.get_current_span()
    origin = trace.get_current_span(propagate.extract(dict(carrier))).get_span_context()
    if span.is_recording() and origin.is_valid and origin.trace_id != span.get_span_context().trace_id:
        span.add_link(origin, {"vidcon.link": why})
