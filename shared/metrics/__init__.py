"""Prometheus metrics at `/metrics` on every service's own port (never through the gateway).

HTTP rate, errors and latency per route come from prometheus-fastapi-instrumentator, each
consumer's handling from FastStream's Prometheus middleware, and the backlogs (relay lag,
consumer lag, dead letters) and a service's own gauges (`ServiceSpec.gauges`) are read when
Prometheus scrapes (`scrape.py`). Each service's metrics live in its runtime's own registry.
"""

from shared.metrics.install import broker_middleware, install_metrics
from shared.metrics.scrape import Gauges

__all__ = ["Gauges", "broker_middleware", "install_metrics"]
