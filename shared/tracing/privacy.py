"""What keeps personal data and noise out of spans.

Statements are recorded without their parameters (shared/tracing/setup.py); here URLs lose their
query strings, where a search could carry a name or a phone number, and the database queries
that no traced work made (a relay's poll, a worker's claim, every second) are not traced at all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from opentelemetry.context import Context
from opentelemetry.sdk.trace.sampling import Decision, Sampler, SamplingResult
from opentelemetry.trace import Link, Span, SpanKind
from opentelemetry.trace.span import TraceState
from opentelemetry.util.types import Attributes

URL_ATTRIBUTES = ("http.url", "url.full", "http.target")
DATABASE_ATTRIBUTES = ("db.system", "db.system.name")


def without_query(span: Span | None, *_args: Any) -> None:
    """Cut the query string off every URL attribute of the span."""
    if span is None or not span.is_recording():
        return
    attributes: Mapping[str, Any] = getattr(span, "attributes", None) or {}
    for key in URL_ATTRIBUTES:
        value = attributes.get(key)
        if isinstance(value, str) and "?" in value:
            span.set_attribute(key, value.split("?", 1)[0])
    if attributes.get("url.query"):
        span.set_attribute("url.query", "")


async def without_query_async(span: Span | None, *args: Any) -> None:
    without_query(span, *args)


class NoQueriesOutsideTraces(Sampler):
    """For root spans: a database query is traced only inside a trace, everything else always."""

    def should_sample(
        self,
        parent_context: Context | None,
        trace_id: int,
        name: str,
        kind: SpanKind | None = None,
        attributes: Attributes = None,
        links: Sequence[Link] | None = None,
        trace_state: TraceState | None = None,
    ) -> SamplingResult:
        if attributes and any(key in attributes for key in DATABASE_ATTRIBUTES):
            return SamplingResult(Decision.DROP)
        return SamplingResult(Decision.RECORD_AND_SAMPLE, attributes, trace_state)

    def get_description(self) -> str:
        return "NoQueriesOutsideTraces"
