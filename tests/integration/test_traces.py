"""The shared plumbing carries one trace across NATS: an HTTP request appends an event, the relay
publishes it with its `traceparent`, a consumer of another service appends because of it, and a
third consumer applies that; every span lands in one trace (an in-memory exporter, in process).
The same across the five real service processes: tests/e2e/test_traces.py."""

from __future__ import annotations

import http.server
import subprocess
import sys
import threading
from datetime import datetime, timezone
from types import SimpleNamespace

import httpx
import pytest
from fastapi import FastAPI
from faststream.nats import NatsBroker
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from shared.db import create_pool, migrate
from shared.events.contracts import RequestApproved, StepTiming
from shared.embedded import free_port
from shared.eventstore import Causation, append
from shared.messaging import Consumer, OutboxRelay, attach
from shared.tracing import setup
from shared.tracing.setup import (
    NATIVE_TELEMETRY_OFF,
    instrument_app,
    instrument_clients,
    tracer_provider,
    uninstrument_clients,
)
from tests.conftest import child_env
from tests.integration.helpers import wait_until, withdrawn

EXPORTER = InMemorySpanExporter()


@pytest.fixture
def spans():
    """This process's spans in memory, with asyncpg instrumented as a service process has it."""
    if not isinstance(trace.get_tracer_provider(), TracerProvider):
        provider = tracer_provider("tests")
        provider.add_span_processor(SimpleSpanProcessor(EXPORTER))
        trace.set_tracer_provider(provider)
    EXPORTER.clear()
    instrument_clients()
    yield EXPORTER
    uninstrument_clients()


def approved(request_id: str) -> RequestApproved:
    now = datetime.now(timezone.utc)
    return RequestApproved(
        request_id=request_id,
        by="kabid",
        timing=StepTiming(
            step="decide", started_at=now, due_at=now, finished_at=now, met_standard=True, margin_minutes=0
        ),
    )


async def submit(pool, schema: str, tenant: str) -> str:
    """What intake's HTTP route does, in its server span: append in a transaction."""
    with trace.get_tracer("tests").start_as_current_span("POST /api/{tenant}/requests", kind=SpanKind.SERVER) as span:
        async with pool.acquire() as conn, conn.transaction():
            await append(
                conn,
                schema=schema,
                tenant=tenant,
                stream_id="r1",
                expected_version=0,
                events=[withdrawn("r1")],
                cause=Causation("corr-r1"),
            )
    return f"{span.get_span_context().trace_id:032x}"


def deciding(schema: str, tenant: str):
    """A consumer of another service that appends to its own outbox because of the event."""

    async def decide(conn, delivery):
        await append(
            conn,
            schema=schema,
            tenant=tenant,
            stream_id=delivery.event.request_id,
            expected_version=0,
            events=[approved(delivery.event.request_id)],
            cause=Causation("corr-r1", delivery.envelope.id),
        )

    return decide


async def test_one_request_is_one_trace_through_two_relays_and_two_consumers(
    spans, database_url, nats_url, nc, pool, schema, tenant
):
    decider_schema = f"{schema}_decider"
    migrate(database_url, decider_schema)
    decider_pool = await create_pool(database_url, decider_schema)
    applied = []

    async def apply(conn, delivery):
        applied.append(delivery.event.request_id)

    broker = NatsBroker(nats_url, logger=None)
    attach(
        broker,
        SimpleNamespace(pool=decider_pool),
        Consumer("decider", tenant, f"vidcon.{tenant}.intake.>", deciding(decider_schema, tenant)),
    )
    attach(broker, SimpleNamespace(pool=pool), Consumer("follower", tenant, f"vidcon.{tenant}.approval.>", apply))
    await broker.start()
    try:
        trace_id = await submit(pool, schema, tenant)
        await OutboxRelay(pool, nc, schema).relay_once()
        await wait_until(lambda: _one_event_in(decider_pool))
        await OutboxRelay(decider_pool, nc, decider_schema).relay_once()
        await wait_until(lambda: _true(applied == ["r1"]))
    finally:
        await broker.stop()
        await decider_pool.close()

    mine = [s for s in spans.get_finished_spans() if f"{s.context.trace_id:032x}" == trace_id]
    chain = [
        _one(mine, name)
        for name in (
            "POST /api/{tenant}/requests",
            "send id.go.vidcon.request.withdrawn.v1",
            f"process decider-{tenant}",
            "send id.go.vidcon.request.approved.v1",
            f"process follower-{tenant}",
        )
    ]
    assert [s.parent.span_id if s.parent else None for s in chain[1:]] == [s.context.span_id for s in chain[:-1]]
    assert [s.kind for s in chain[1:]] == [SpanKind.PRODUCER, SpanKind.CONSUMER] * 2
    queries = [
        s
        for s in mine
        if s.parent and s.parent.span_id == chain[2].context.span_id and s.attributes.get("db.statement")
    ]
    assert any("insert into events" in str(q.attributes["db.statement"]) for q in queries)  # the append
    assert not any("db.statement.parameters" in (s.attributes or {}) for s in mine)


async def test_with_no_trace_nothing_is_kept_or_sent(pool, nc, schema, tenant):
    async with pool.acquire() as conn, conn.transaction():
        await append(
            conn,
            schema=schema,
            tenant=tenant,
            stream_id="r1",
            expected_version=0,
            events=[withdrawn("r1")],
            cause=Causation("corr-r1"),
        )
    await OutboxRelay(pool, nc, schema).relay_once()

    assert await pool.fetchval("select trace_context from events") is None
    message = await nc.jetstream().get_last_msg("VIDCON", f"vidcon.{tenant}.intake.request_withdrawn")
    assert "traceparent" not in message.headers


async def test_names_and_phone_numbers_in_query_strings_never_reach_a_span(spans, monkeypatch):
    monkeypatch.setattr(setup, "_configured", "tests")  # as configure_tracing leaves a traced process
    app = FastAPI(telemetry=NATIVE_TELEMETRY_OFF)
    app.add_api_route("/cari", lambda nama, hp: {"found": 0})
    instrument_app(app)
    person = {"nama": "Siti Rahma", "hp": "081234567890"}

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://intake") as http:
        assert (await http.get("/cari", params=person)).status_code == 200
    async with httpx.AsyncClient() as http:
        with pytest.raises(httpx.ConnectError):  # nobody listens: the span records the error too
            await http.get(f"http://127.0.0.1:{free_port()}/cari", params=person)

    finished = spans.get_finished_spans()
    assert {s.kind for s in finished} >= {SpanKind.SERVER, SpanKind.CLIENT}
    written = str([(dict(s.attributes or {}), [dict(e.attributes or {}) for e in s.events]) for s in finished])
    assert "/cari" in written and "Siti" not in written and "081234567890" not in written


def _one(spans, name: str):
    [span] = [s for s in spans if s.name == name]
    return span


async def _one_event_in(pool) -> bool:
    return await pool.fetchval("select count(*) from events") == 1


async def _true(value: bool) -> bool:
    return value


class Collector(http.server.BaseHTTPRequestHandler):
    """An OTLP/HTTP collector that only counts what it is sent."""

    received: list[str] = []

    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        Collector.received.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *_):
        pass


def a_traced_process(**env: str) -> None:
    """A process that configures tracing as a service does and ends one span."""
    script = (
        "from opentelemetry import trace; from shared.tracing import configure_tracing;"
        " configure_tracing('intake'); trace.get_tracer('t').start_span('x').end();"
        " trace.get_tracer_provider().shutdown() if hasattr(trace.get_tracer_provider(), 'shutdown') else None"
    )
    subprocess.run([sys.executable, "-c", script], env=child_env(**env), check=True, timeout=60)


def test_spans_go_to_the_otlp_endpoint_only_when_it_is_set():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    endpoint = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        a_traced_process(OTEL_EXPORTER_OTLP_ENDPOINT="")
        assert Collector.received == []
        a_traced_process(OTEL_EXPORTER_OTLP_ENDPOINT=endpoint)
        assert Collector.received == ["/v1/traces"]
    finally:
        server.shutdown()
