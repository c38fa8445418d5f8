"""Real servers for the integration tests: one nats-server and one PostgreSQL per test run.

Tests isolate themselves by a fresh schema and a fresh tenant id each (so NATS subjects
differ), instead of restarting servers.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from pathlib import Path

import pytest

from shared.embedded import EmbeddedNats, EmbeddedPostgres


@pytest.fixture(scope="session")
def servers():
    root = Path(tempfile.mkdtemp(prefix="vidcon-test-"))
    nats = EmbeddedNats(root / "nats", accounts=True, no_auth_user="admin").start()
    nats.prepare_public_stream()
    postgres = EmbeddedPostgres(root / "pg").start()
    yield nats, postgres
    nats.stop()
    postgres.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def identity_issuer(servers):
    """A real local OIDC provider (oidc-provider-mock) with the demo users of every tenant."""
    import subprocess

    from fakes.identity import provider_command
    from shared.config import REPO_ROOT
    from shared.embedded import free_port
    from shared.embedded.servers import wait_for_port
    from shared.tenants import load_tenants

    port = free_port()
    process = subprocess.Popen(
        provider_command(port, list(load_tenants(REPO_ROOT / "tenants"))),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for_port(port, process)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait()


@pytest.fixture(scope="session")
def nats_url(servers) -> str:
    return servers[0].url


@pytest.fixture(scope="session")
def database_url(servers) -> str:
    return servers[1].url


@pytest.fixture
def tenant() -> str:
    return f"t{uuid.uuid4().hex[:10]}"


@pytest.fixture
def schema() -> str:
    return f"s{uuid.uuid4().hex[:10]}"


@pytest.fixture
async def migrated(database_url, schema):
    from shared.db import migrate

    migrate(database_url, schema)
    return schema


@pytest.fixture
async def pool(database_url, migrated):
    from shared.db import create_pool

    pool = await create_pool(database_url, migrated)
    yield pool
    await pool.close()


@pytest.fixture
async def nc(nats_url):
    from shared.messaging import connect_nats, ensure_streams

    nc = await connect_nats(nats_url, name="test")
    await ensure_streams(nc.jetstream())
    yield nc
    await nc.close()


def child_env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONUNBUFFERED": "1", **extra}
