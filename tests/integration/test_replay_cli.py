"""`python -m reporting replay`: one projection, --all, and a one-line refusal while another
rebuild of the same projection runs."""

from __future__ import annotations

import asyncio
import sys

from reporting.adapters.projections import projections
from shared.config import REPO_ROOT
from shared.db import create_pool, migrate
from shared.tenants import load_tenants
from tests.conftest import child_env
from tests.factories import publish_history


async def run_replay(database_url: str, nats_url: str, *args: str) -> tuple[int, str, str]:
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "reporting",
        "replay",
        *args,
        cwd=REPO_ROOT,
        env=child_env(DATABASE_URL=database_url, NATS_URL=nats_url),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(child.communicate(), 180)
    return child.returncode, out.decode(), err.decode()


async def test_replay_all_then_a_refused_second_rebuild(database_url, nats_url, nc, tenant):
    migrate(database_url, "reporting")
    await publish_history(nc.jetstream(), [tenant], 200, seed=21)
    names = list(projections(load_tenants(REPO_ROOT / "tenants")))

    code, out, err = await run_replay(database_url, nats_url, "--all")
    assert code == 0, err
    for name in names:
        assert f"{name}: " in out and "the new copy is live" in out

    pool = await create_pool(database_url, "reporting")
    try:
        async with pool.acquire() as holder:
            await holder.execute("select pg_advisory_lock(hashtext('vidcon-rebuild:reporting:usage'))")
            code, out, err = await run_replay(database_url, nats_url, "usage")
        assert code == 1
        assert err.strip().splitlines() == [
            "replay stopped: projection 'usage' is being rebuilt already; try again when that finishes"
        ]
    finally:
        await pool.close()
