"""One request's traces across the five service processes, as an operator's trace viewer shows them.

The services run as processes of their own, so an exporter in this process cannot see their
spans: each writes its finished spans to one JSON-lines file (`VIDCON_TRACE_FILE`, see
tests/e2e/conftest.py), and the spans are picked out by the trace ids this test starts with the
W3C `traceparent` a gateway would send. Tests with an in-memory exporter are in
tests/integration/test_traces.py.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path

from tests.e2e.identity import requester
from tests.e2e.test_walking_skeleton import TENANT, a_request, get_json, letter_for, post
from tests.integration.helpers import wait_until

PERSONAL = ("Siti Rahma", "081234567890", "siti@example.go.id")


def a_traceparent() -> tuple[str, dict[str, str]]:
    trace_id = secrets.token_hex(16)
    return trace_id, {"traceparent": f"00-{trace_id}-{secrets.token_hex(8)}-01"}


def spans_of(system, trace_id: str) -> list[dict]:
    path = Path(system.extra_env["VIDCON_TRACE_FILE"])
    lines = path.read_text().splitlines() if path.exists() else []
    return [span for span in map(json.loads, lines) if span["trace_id"] == trace_id]


def until_spans(system, trace_id: str, *wanted):
    """Wait until the trace holds a span matching each of `wanted` (predicates over one span)."""

    async def found():
        spans = spans_of(system, trace_id)
        return spans if all(any(want(span) for span in spans) for want in wanted) else None

    return wait_until(found, timeout=60, interval=0.5)


def named(service: str, prefix: str):
    return lambda span: span["service"] == service and span["name"].startswith(prefix)


def query_in(service: str):
    return lambda span: span["service"] == service and "db.statement" in span["attributes"]


def children(spans: list[dict], parent: dict) -> list[dict]:
    return [span for span in spans if span["parent_id"] == parent["span_id"]]


def descendants(spans: list[dict], root: dict) -> list[dict]:
    below = children(spans, root)
    return below + [span for child in below for span in descendants(spans, child)]


async def submit(system, traceparent: dict[str, str]) -> dict:
    body = a_request(letter=await letter_for(system))
    submitted = await post(f"{system.url('intake')}/api/{TENANT}/requests", body, requester() | traceparent)
    assert submitted.status_code == 201, submitted.text
    return submitted.json()


async def test_a_submission_is_one_trace_from_intake_through_nats_to_every_service_and_the_notification(system):
    trace_id, traceparent = a_traceparent()
    await submit(system, traceparent)

    spans = await until_spans(
        system,
        trace_id,
        named("intake", "POST /api/{tenant}/requests"),
        named("intake", "send "),
        named("approval", "process approval-requests"),
        named("provisioning", "process provisioning-requests"),
        named("complaints", "process complaints-request-codes"),
        query_in("approval"),
        named("intake", "notify "),
    )

    assert {"intake", "approval", "provisioning", "complaints"} <= {span["service"] for span in spans}
    [published] = [s for s in spans if s["name"] == "send " + _submitted_type(spans)]
    consumed = children(spans, published)
    assert {"approval", "provisioning", "complaints"} <= {span["service"] for span in consumed}
    assert all(span["kind"] == "CONSUMER" for span in consumed)
    [opened] = [s for s in consumed if s["service"] == "approval"]
    assert any("db.statement" in span["attributes"] for span in children(spans, opened))


async def test_a_decision_goes_on_in_the_submissions_trace_to_the_zoom_call_and_the_notice(system, as_user):
    submission_trace, submission = a_traceparent()
    request_id = (await submit(system, submission))["request_id"]
    approval = f"{system.url('approval')}/api/{TENANT}/requests/{request_id}"

    async def in_inbox():
        inbox = await get_json(
            f"{system.url('approval')}/api/{TENANT}/inbox", await as_user(f"head_of_department@{TENANT}")
        )
        return any(item["request_id"] == request_id for item in inbox)

    await wait_until(in_inbox)
    passed = await post(
        f"{approval}/pass",
        {"role": "head_of_department", "note": "Teruskan"},
        await as_user(f"head_of_department@{TENANT}"),
    )
    assert passed.status_code == 200, passed.text
    click_trace, traceparent = a_traceparent()
    approved = await post(
        f"{approval}/approve", {"role": "head_of_division"}, await as_user(f"head_of_division@{TENANT}") | traceparent
    )
    assert approved.status_code == 200, approved.text

    spans = await until_spans(
        system,
        submission_trace,
        named("intake", "POST /api/{tenant}/requests"),
        named("approval", "approval approve"),
        named("provisioning", "provider call ensure"),
        named("intake", "process intake-progress"),
    )

    [call] = [s for s in spans if s["name"] == "provider call ensure"]
    zoom = [s for s in children(spans, call) if s["scope"] == "opentelemetry.instrumentation.httpx"]
    assert zoom and all(s["kind"] == "CLIENT" for s in zoom)  # the Zoom API calls, under the provider call

    async def told_of_the_meeting():  # meeting.scheduled, recorded by the call, reaches intake's notice
        return [s for s in descendants(spans_of(system, submission_trace), call) if s["name"].startswith("notify ")]

    await wait_until(told_of_the_meeting, timeout=60, interval=0.5)
    assert {"intake", "approval", "provisioning"} <= {span["service"] for span in spans}
    [decision] = [s for s in spans if s["name"] == "approval approve"]
    assert click_trace in [link["trace_id"] for link in decision["links"]]  # back to the official's click
    [click] = [s for s in spans_of(system, click_trace) if s["service"] == "approval" and s["kind"] == "SERVER"]
    assert click["name"].startswith("POST ")


async def test_no_span_carries_the_requesters_personal_data(system):
    trace_id, traceparent = a_traceparent()
    await submit(system, traceparent)
    spans = await until_spans(system, trace_id, named("intake", "notify "), query_in("intake"))

    written = json.dumps(spans)
    assert not [value for value in PERSONAL if value in written]
    statements = [s["attributes"]["db.statement"] for s in spans if "db.statement" in s["attributes"]]
    assert any("insert into events" in statement for statement in statements)  # the append, with no values
    assert not any("db.statement.parameters" in span["attributes"] for span in spans)


def _submitted_type(spans: list[dict]) -> str:
    sent = [s["name"].removeprefix("send ") for s in spans if s["name"].startswith("send ")]
    return next(name for name in sent if ".request.submitted." in name)
