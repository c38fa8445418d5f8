from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import FastAPI
from faststream.nats.prometheus import NatsPrometheusMiddleware
from prometheus_fastapi_instrumentator import Instrumentator

from shared.metrics.backlogs import BACKLOGS
from shared.metrics.scrape import ReadAtScrape

if TYPE_CHECKING:
    from shared.runtime import Runtime

METRICS_PATH = "/metrics"
LATENCY_BUCKETS = (0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
"""Seconds, per route: pages and API calls answer in tens of milliseconds, exports in seconds."""


def install_metrics(app: FastAPI, runtime: Runtime) -> None:
    """`/metrics` on `app`: its routes' requests, and the gauges read at each scrape."""
    instrumentator = Instrumentator(registry=runtime.registry, excluded_handlers=[METRICS_PATH])
    instrumentator.instrument(app, latency_lowr_buckets=LATENCY_BUCKETS)
    instrumentator.expose(app, endpoint=METRICS_PATH, include_in_schema=False)
    ReadAtScrape(runtime, [*BACKLOGS, *runtime.spec.gauges]).register(runtime.registry)


def broker_middleware(runtime: Runtime) -> NatsPrometheusMiddleware:
    """Messages received and their handling time, by consumer (subject) and outcome."""
    return NatsPrometheusMiddleware(registry=runtime.registry, app_name=runtime.spec.name)
