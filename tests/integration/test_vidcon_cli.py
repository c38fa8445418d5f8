"""`vidcon` against real servers, as an operator runs it (a process of its own): replay, stream
rebuild-from-outboxes and relay, serve. The stream rebuild and serve get a nats-server of their own
(an empty VIDCON; no consumer competing with the session's services) and serve a database of its own."""

from __future__ import annotations

import asyncio
import shutil
import signal
import sys
import tempfile
import uuid
from pathlib import Path

import asyncpg
import httpx
import pytest

from reporting.adapters.projections import projections
from shared.config import REPO_ROOT
from shared.db import migrate
from shared.embedded import EmbeddedNats, free_port
from shared.messaging import connect_nats
from shared.tenants import load_tenants
from tests.conftest import child_env
from tests.factories import publish_history
from tests.integration.helpers import append_withdrawals, stream_contents, wait_until


async def vidcon(*args: str, timeout: float = 180, **env: str) -> tuple[int, str, str]:
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "shared.cli",
        *args,
        cwd=REPO_ROOT,
        env=child_env(**env),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(child.communicate(), timeout)
    return child.returncode, out.decode(), err.decode()


def started(*args: str, **env: str) -> asyncio.subprocess.Process:
    return asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "shared.cli",
        *args,
        cwd=REPO_ROOT,
        env=child_env(**env),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )


async def stopped(process: asyncio.subprocess.Process) -> int:
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
    try:
        return await asyncio.wait_for(process.wait(), 30)
    except TimeoutError:
        process.kill()
        return await process.wait()


@pytest.fixture(scope="module")
def own_nats():
    root = Path(tempfile.mkdtemp(prefix="vidcon-cli-nats-"))
    server = EmbeddedNats(root).start()
    yield server
    server.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
async def own_database(database_url):
    name = f"d{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(database_url)
    await admin.execute(f"create database {name}")
    await admin.close()
    return database_url.rsplit("/", 1)[0] + f"/{name}"


async def test_replay_rebuilds_one_projection_or_all_and_names_the_known_ones(database_url, nats_url, nc, tenant):
    migrate(database_url, "reporting")
    await publish_history(nc.jetstream(), [tenant], 50, seed=5)
    servers = {"DATABASE_URL": database_url, "NATS_URL": nats_url}

    code, out, err = await vidcon("replay", "usage", **servers)
    assert code == 0, err
    assert out.count("the new copy is live") == 1 and "usage: " in out

    code, out, err = await vidcon("replay", "--all", **servers)
    assert code == 0, err
    assert out.count("the new copy is live") == len(projections(load_tenants(REPO_ROOT / "tenants")))

    code, _, err = await vidcon("replay", "nothing", **servers)
    assert code == 2 and "unknown projection 'nothing'; known: usage" in err


async def test_stream_rebuild_from_outboxes_republishes_an_outbox_once_and_refuses_a_second_time(
    own_nats, database_url, pool, migrated, tenant
):
    appended = await append_withdrawals(pool, migrated, tenant, 3)
    servers = {"DATABASE_URL": database_url, "NATS_URL": own_nats.url}

    code, out, err = await vidcon("stream", "rebuild-from-outboxes", migrated, **servers)
    assert code == 0, err
    assert "VIDCON: 3 events republished from the outboxes" in out and "3/3" in out, out
    nc = await connect_nats(own_nats.url, name="test")
    try:
        republished = await stream_contents(nc.jetstream(), f"vidcon.{tenant}.>", expect=3)
    finally:
        await nc.close()
    assert [event.id for event in republished] == [event.id for event in appended]
    assert await pool.fetchval("select position from relay_position") == 3

    code, out, err = await vidcon("stream", "rebuild-from-outboxes", migrated, **servers)
    assert code == 1 and "stream rebuild refused: stream VIDCON holds 3 messages" in err


async def test_stream_relay_publishes_an_outbox_until_stopped(database_url, nats_url, nc, pool, migrated, tenant):
    appended = await append_withdrawals(pool, migrated, tenant, 3)
    relay = await started("stream", "relay", migrated, DATABASE_URL=database_url, NATS_URL=nats_url)
    try:
        published = await stream_contents(nc.jetstream(), f"vidcon.{tenant}.>", expect=3, timeout=60)
    finally:
        await stopped(relay)
    assert [event.id for event in published] == [event.id for event in appended]


async def test_serve_runs_one_service_until_stopped(own_nats, own_database):
    port = free_port()
    service = await started("serve", "complaints", PORT=str(port), DATABASE_URL=own_database, NATS_URL=own_nats.url)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:

            async def ready():
                assert service.returncode is None, (await service.stderr.read()).decode()[-2000:]
                try:
                    return (await http.get("/readyz")).json()
                except httpx.TransportError:
                    return None

            body = await wait_until(ready, timeout=120, interval=0.5)
        assert body["status"] == "ready"
    finally:
        code = await stopped(service)
    assert code == -signal.SIGTERM, "stopped by SIGTERM within its grace period (uvicorn re-raises the signal)"
