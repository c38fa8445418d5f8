"""Traces with OpenTelemetry, off unless an OTLP endpoint (or a trace file) is set.

`configure_tracing` is called once per service process (shared/runtime.py); `continued` and
`current_carrier` carry a trace across what is stored and sent later: the outbox row, the NATS
headers, a provider call row, a notification row.
"""

from shared.tracing.context import (
    carrier_to_store,
    continued,
    current_carrier,
    link_to,
    recording,
    stored_carrier,
)
from shared.tracing.setup import configure_tracing, instrument_app, tracing_enabled

__all__ = [
    "carrier_to_store",
    "configure_tracing",
    "continued",
    "current_carrier",
    "instrument_app",
    "link_to",
    "recording",
    "stored_carrier",
    "tracing_enabled",
]
