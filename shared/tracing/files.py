"""Finished spans as JSON lines in a file (`VIDCON_TRACE_FILE`): what the end-to-end test reads
from service processes it cannot reach in memory."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from typing import Any

from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SpanExporter, SpanExportResult


class JsonLinesExporter(SpanExporter):
    """One line per span, each written by one `write` to a file opened for appending, so that
    several processes can share the file without mixing their lines."""

    def __init__(self, path: str):
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        for span in spans:
            os.write(self.fd, (json.dumps(span_record(span)) + "\n").encode())
        return SpanExportResult.SUCCESS

    def shutdown(self) -> None:
        os.close(self.fd)


def span_record(span: ReadableSpan) -> dict[str, Any]:
    context, parent = span.context, span.parent
    return {
        "trace_id": f"{context.trace_id:032x}" if context else None,
        "span_id": f"{context.span_id:016x}" if context else None,
        "parent_id": f"{parent.span_id:016x}" if parent else None,
        "name": span.name,
        "kind": span.kind.name,
        "service": span.resource.attributes.get("service.name"),
        "scope": span.instrumentation_scope.name if span.instrumentation_scope else None,
        "attributes": dict(span.attributes or {}),
        "events": [{"name": e.name, "attributes": dict(e.attributes or {})} for e in span.events],
        "links": [
            {"trace_id": f"{link.context.trace_id:032x}", "attributes": dict(link.attributes or {})}
            for link in span.links
        ],
        "status": span.status.status_code.name,
    }
