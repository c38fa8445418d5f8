"""What every service process has: migrations, pool, broker, relay, health, metrics, logs, traces.

A service gives its name, its migrations, its consumers and its HTTP router; `service_app`
returns the FastAPI application that uvicorn serves.

The relay and the background loops run supervised (shared/supervision.py): one that ends is
logged and started again. `/readyz` answers 503 while the relay is not running or the oldest
unpublished event of the outbox is older than `relay_max_lag_seconds`, and shows the lag and
the dead letters each consumer left.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Awaitable, Callable, Coroutine

import asyncpg
import structlog
from fastapi import APIRouter, FastAPI
from fastapi.responses import JSONResponse
from faststream import AckPolicy
from faststream.nats import NatsBroker
from nats.aio.client import Client
from prometheus_client import CollectorRegistry

from shared.auth import install_auth
from shared.config import Settings
from shared.db import create_pool, migrate
from shared.events import Event, registered_events
from shared.events.schemas import envelope_model
from shared.eventstore import outbox_lag
from shared.http import DomainRuleBroken, install_correlation, install_error_handlers
from shared.http.docs import install_docs
from shared.tenants import TenantProfile, load_tenants
from shared.web import mount_static
from shared.logging import configure_logging
from shared.metrics import Gauges, broker_middleware, install_metrics
from shared.messaging import Consumer, OutboxRelay, attach, connect_nats, ensure_streams
from shared.messaging.connect import broker_credentials, nats_servers
from shared.messaging.consumer import lift_delivery_limits
from shared.messaging.dead_letters import parked_counts
from shared.supervision import Supervised
from shared.tracing import configure_tracing, instrument_app
from shared.tracing.setup import NATIVE_TELEMETRY_OFF

log = structlog.get_logger()


@dataclass
class ServiceSpec:
    name: str
    migrations: Path | None
    consumers: Callable[["Runtime"], list[Consumer]] = lambda runtime: []
    routers: list[APIRouter] = field(default_factory=list)
    title: str = ""
    on_start: Callable[["Runtime"], Awaitable[None]] | None = None
    background: list[Callable[["Runtime"], Coroutine[Any, Any, None]]] = field(default_factory=list)
    """Long-running loops (retries, timers) started after the broker and cancelled at stop."""
    gauges: list[Gauges] = field(default_factory=list)
    """The service's own figures at `/metrics`, read from its read models at each scrape."""
    shared_migrations: tuple[Path, ...] = ()
    """Migrations of shared code the service uses (shared.notifications), applied in its schema too."""

    @property
    def migration_dirs(self) -> tuple[Path, ...]:
        """What its start migrates besides the event store: its own folder, then the shared ones."""
        return (*([self.migrations] if self.migrations else []), *self.shared_migrations)


@dataclass
class Runtime:
    """The live handles a service's entrypoints use (reachable as `request.app.state.runtime`)."""

    spec: ServiceSpec
    settings: Settings
    pool: asyncpg.Pool | None = None
    broker: NatsBroker | None = None
    nc: Client | None = None
    """The relay's NATS connection, also used for stream information."""
    relay: OutboxRelay | None = None
    consumers: list[Consumer] = field(default_factory=list)
    """What `build_broker` attached."""
    tasks: dict[str, Supervised] = field(default_factory=dict)
    """The supervised long-running loops by name: the relay and the spec's background."""
    extras: dict[str, Any] = field(default_factory=dict)
    """What a service keeps for its entrypoints, by name (provisioning's adapters, a test's clock)."""
    registry: CollectorRegistry = field(default_factory=CollectorRegistry)
    """What `/metrics` serves (shared/metrics)."""
    _tenants: dict[str, TenantProfile] | None = None

    @property
    def tenants(self) -> dict[str, "TenantProfile"]:
        if self._tenants is None:
            self._tenants = load_tenants(self.settings.vidcon_tenants_dir)
        return self._tenants

    def tenant(self, tenant_id: str) -> "TenantProfile":
        """The tenant's profile; an unknown tenant is a 404 with a message in Indonesian."""
        if tenant_id not in self.tenants:
            raise DomainRuleBroken("tenant", f"dinas '{tenant_id}' tidak terdaftar", status=404)
        return self.tenants[tenant_id]

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[asyncpg.Connection]:
        """A connection in a transaction: commit on success, roll back on any error."""
        async with self.started_pool.acquire() as conn, conn.transaction():
            yield conn

    @property
    def started_pool(self) -> asyncpg.Pool:
        """The pool, which exists from the start of the lifespan on."""
        assert self.pool is not None, "the pool is created when the service starts"
        return self.pool


def service_app(spec: ServiceSpec, settings: Settings | None = None) -> FastAPI:
    runtime = Runtime(spec, settings or Settings())
    configure_logging(spec.name, runtime.settings.log_level)
    configure_tracing(spec.name)
    app = FastAPI(
        title=spec.title or f"Vidcon {spec.name}",
        lifespan=_lifespan(runtime),
        docs_url=None,
        redoc_url=None,
        telemetry=NATIVE_TELEMETRY_OFF,
    )
    app.state.runtime = runtime
    install_error_handlers(app)
    install_correlation(app)
    install_docs(app)
    install_auth(app, runtime.settings)
    mount_static(app)
    install_metrics(app, runtime)
    app.add_api_route("/healthz", lambda: {"status": "ok"}, include_in_schema=False)
    app.add_api_route("/readyz", _readiness(runtime), include_in_schema=False, response_model=None)
    for router in spec.routers:
        app.include_router(router)
    instrument_app(app)
    return app


def build_broker(runtime: Runtime) -> NatsBroker:
    """The service's broker with its consumers attached (also used to write AsyncAPI)."""
    broker = NatsBroker(
        nats_servers(runtime.settings.nats_url),
        max_reconnect_attempts=-1,
        logger=None,
        ack_policy=AckPolicy.NACK_ON_ERROR,
        middlewares=[broker_middleware(runtime)],
        **broker_credentials(runtime.settings),
    )
    runtime.consumers = runtime.spec.consumers(runtime)
    for consumer in runtime.consumers:
        attach(broker, runtime, consumer)
    for event in published_by(runtime.spec.name):
        broker.publisher(
            f"vidcon.*.{event.context}.{event.subject_token()}",
            title=event.__name__,
            description=event.__doc__,
            schema=envelope_model(event),
        )
    return broker


def published_by(context: str) -> list[type[Event]]:
    """The newest version of each event this context records (the relay publishes them)."""
    newest = {e.name: e for e in registered_events() if e.context == context}
    return list(newest.values())


def _lifespan(runtime: Runtime) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        settings, spec = runtime.settings, runtime.spec
        await asyncio.to_thread(migrate, settings.database_url, spec.name, *spec.migration_dirs)
        runtime.tenants  # a broken tenant profile stops the start, naming file and field
        runtime.pool = pool = await create_pool(settings.database_url, spec.name)
        if spec.on_start:
            await spec.on_start(runtime)
        runtime.nc = nc = await connect_nats(settings.nats_url, name=f"{spec.name}-relay", settings=settings)
        await ensure_streams(nc.jetstream(), settings.stream_replicas)
        runtime.broker = broker = build_broker(runtime)
        await lift_delivery_limits(nc.jetstream(), runtime.consumers)
        await broker.start()
        runtime.relay = relay = OutboxRelay(pool, nc, spec.name)
        runtime.tasks = _supervised(runtime, relay)
        for task in runtime.tasks.values():
            task.start()
        log.info("service.started", service=spec.name)
        try:
            yield
        finally:
            await asyncio.gather(*(task.stop() for task in runtime.tasks.values()))
            await broker.stop()
            await nc.drain()
            await pool.close()

    return lifespan


def _supervised(runtime: Runtime, relay: OutboxRelay) -> dict[str, Supervised]:
    loops: dict[str, Callable[[], Coroutine[Any, Any, None]]] = {"relay": relay.run}
    for loop in runtime.spec.background:
        name = loop.__name__ if loop.__name__ not in loops else f"{loop.__name__}-{len(loops)}"
        loops[name] = partial(loop, runtime)
    return {name: Supervised(name, start) for name, start in loops.items()}


def _readiness(runtime: Runtime) -> Callable[[], Awaitable[JSONResponse | dict[str, Any]]]:
    async def readyz() -> JSONResponse | dict[str, Any]:
        problems = []
        try:
            await runtime.started_pool.fetchval("select 1")
        except Exception as error:  # noqa: BLE001  any failure means not ready
            problems.append(f"postgresql: {error!r}")
        broker_ok = runtime.broker is not None and await runtime.broker.ping(timeout=1.0)
        if not broker_ok:
            problems.append("nats: not connected")
        relay, relay_problems = await _relay_report(runtime)
        problems += relay_problems
        tasks = {name: {"running": task.running, "restarts": task.restarts} for name, task in runtime.tasks.items()}
        dead_letters = await _dead_letter_report(runtime) if broker_ok else None
        detail = {"relay": relay, "tasks": tasks, "dead_letters": dead_letters}
        if problems:
            return JSONResponse({"status": "unavailable", "problems": problems, **detail}, status_code=503)
        return {"status": "ready", **detail}

    return readyz


async def _relay_report(runtime: Runtime) -> tuple[dict[str, Any], list[str]]:
    """The relay's state and the outbox's lag, and what of it makes the service unready."""
    task, relay = runtime.tasks.get("relay"), runtime.relay
    report = {"running": bool(task and task.running), **(relay.status() if relay else {})}
    problems = [] if report["running"] else ["relay: not running"]
    try:
        async with runtime.started_pool.acquire(timeout=2) as conn:
            lag = await outbox_lag(conn)
    except Exception:  # noqa: BLE001  PostgreSQL's own check names the failure
        return report, problems
    report |= {"unpublished": lag.unpublished, "oldest_unpublished_seconds": round(lag.oldest_seconds, 1)}
    limit = runtime.settings.relay_max_lag_seconds
    if lag.oldest_seconds > limit:
        problems.append(
            f"relay: {lag.unpublished} events unpublished, the oldest for"
            f" {lag.oldest_seconds:.0f} s (limit {limit:g} s)"
        )
    return report, problems


async def _dead_letter_report(runtime: Runtime) -> dict[str, int] | str:
    """Dead letters the service's consumers left, by consumer. They wait for an operator
    (`vidcon dlq`) but do not make the service unready: it goes on with the rest."""
    try:
        assert runtime.nc is not None, "the relay's connection is made when the service starts"
        return await parked_counts(runtime.nc.jetstream(timeout=2), runtime.spec.name)
    except Exception as error:  # noqa: BLE001  shown, not fatal
        return f"unknown: {error!r}"
