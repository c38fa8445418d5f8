"""One tracer provider per service process, installed only when traces have somewhere to go.

`OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) sends them by OTLP/HTTP;
`VIDCON_TRACE_FILE` writes them as JSON lines (tests). With neither, no provider is installed,
nothing is instrumented, and the API's no-op tracer is all the code meets.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from fastapi import FastAPI
from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor
from opentelemetry.sdk.trace.sampling import ParentBased

from shared.tracing.privacy import NoQueriesOutsideTraces, without_query, without_query_async

if TYPE_CHECKING:
    from fastapi.telemetry import TelemetryConfig  # FastAPI 0.165+; older ones take it as an extra

ENDPOINT_VARIABLES = ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
TRACE_FILE_VARIABLE = "VIDCON_TRACE_FILE"
UNTRACED_PATHS = "healthz,readyz,metrics"
_configured: str | None = None
NATIVE_TELEMETRY_OFF: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False, "operation_spans": False}
"""`FastAPI(telemetry=...)`: FastAPI's own OpenTelemetry (0.165) records query strings and
exception messages; the contrib instrumentation, whose URLs `without_query` cuts, is the one way."""


def tracing_enabled() -> bool:
    """Whether traces have somewhere to go (and the standard `OTEL_SDK_DISABLED` does not say no)."""
    if os.environ.get("OTEL_SDK_DISABLED", "").lower() == "true":
        return False
    return any(os.environ.get(name) for name in (*ENDPOINT_VARIABLES, TRACE_FILE_VARIABLE))


def configure_tracing(service: str) -> None:
    """Install the process's tracer provider and the asyncpg and httpx instrumentation, once."""
    global _configured
    if _configured or not tracing_enabled():
        return
    provider = tracer_provider(service)
    for processor in _processors():
        provider.add_span_processor(processor)
    trace.set_tracer_provider(provider)
    instrument_clients()
    _configured = service


def tracer_provider(service: str) -> TracerProvider:
    """A provider naming the service, with no exporter yet (tests add an in-memory one)."""
    return TracerProvider(
        resource=Resource.create({"service.name": service, "service.namespace": "vidcon"}),
        sampler=ParentBased(root=NoQueriesOutsideTraces()),
    )


def instrument_app(app: FastAPI) -> None:
    """Server spans for the app's routes (continuing a caller's `traceparent`), when tracing is on."""
    if not _configured:
        return
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    FastAPIInstrumentor.instrument_app(
        app, excluded_urls=UNTRACED_PATHS, exclude_spans=["receive", "send"], server_request_hook=without_query
    )


def _processors() -> list[SpanProcessor]:
    processors: list[SpanProcessor] = []
    if any(os.environ.get(name) for name in ENDPOINT_VARIABLES):
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        processors.append(BatchSpanProcessor(OTLPSpanExporter()))
    if path := os.environ.get(TRACE_FILE_VARIABLE):
        from shared.tracing.files import JsonLinesExporter

        processors.append(SimpleSpanProcessor(JsonLinesExporter(path)))
    return processors


def instrument_clients() -> None:
    from opentelemetry.instrumentation.asyncpg import AsyncPGInstrumentor
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor

    # statements only: their parameters are the values, a name or a phone number among them
    AsyncPGInstrumentor(capture_parameters=False).instrument()  # type: ignore[no-untyped-call]
    HTTPXClientInstrumentor().instrument(request_hook=without_query, async_request_hook=without_query_async)


def uninstrument_clients() -> None:
    from opentelemetry.instrumentation.asyncpg import AsyncPGInstrumentor
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor

    AsyncPGInstrumentor().uninstrument()  # type: ignore[no-untyped-call]
    HTTPXClientInstrumentor().uninstrument()
