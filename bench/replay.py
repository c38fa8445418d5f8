"""Benchmark: projection replay events/s beside a raw nats-py ordered consumer, same run.

    .venv/bin/python -m bench.replay [--events 1000000]

Starts its own nats-server and PostgreSQL in a temporary folder, publishes a realistic
history, then reads it back twice: once with a bare ordered consumer that only counts
messages (the ceiling), once through `shared.projections.rebuild` (parse, sum, write).
"""
from __future__ import annotations

import argparse
import asyncio
import shutil
import tempfile
import time
from pathlib import Path

from nats.js.api import DeliverPolicy

from reporting.adapters.projections import usage_projection
from shared.config import REPO_ROOT
from shared.db import create_pool, migrate
from shared.embedded import EmbeddedNats, EmbeddedPostgres
from shared.messaging import connect_nats, ensure_streams
from shared.projections import rebuild
from shared.tenants import load_tenants
from tests.factories import publish_history

TENANTS = ["gorontalo", "kaltara", "majalengka", "tangerang", "purbalingga"]


async def raw_ordered_read(js, count: int) -> float:
    """Only counts messages: the fastest any reader of this stream can go here."""
    done, seen = asyncio.Event(), 0

    async def on_message(msg) -> None:
        nonlocal seen
        seen += 1
        if seen >= count:
            done.set()

    started = time.perf_counter()
    sub = await js.subscribe("vidcon.>", ordered_consumer=True, deliver_policy=DeliverPolicy.ALL,
                             cb=on_message)
    await done.wait()
    elapsed = time.perf_counter() - started
    await sub.unsubscribe()
    return elapsed


async def main(events: int) -> None:
    root = Path(tempfile.mkdtemp(prefix="vidcon-bench-"))
    nats, postgres = EmbeddedNats(root / "nats").start(), EmbeddedPostgres(root / "pg").start()
    try:
        migrate(postgres.url, "reporting")
        pool = await create_pool(postgres.url, "reporting")
        nc = await connect_nats(nats.url, name="bench")
        js = nc.jetstream()
        await ensure_streams(js)
        started = time.perf_counter()
        last = await publish_history(js, TENANTS, events)
        publish_s = time.perf_counter() - started
        raw_s = await raw_ordered_read(js, last)
        projection = usage_projection(load_tenants(REPO_ROOT / "tenants"))
        started = time.perf_counter()
        applied = (await rebuild(pool, js, projection)).read
        replay_s = time.perf_counter() - started
        rows = await pool.fetchval(f"select count(*) from {projection.table(2)}")
        print(f"\nevents in stream: {last:,}   (published at {last / publish_s:,.0f} events/s)")
        print(f"{'reader':<34}{'seconds':>10}{'events/s':>14}")
        print(f"{'raw nats-py ordered consumer':<34}{raw_s:>10.2f}{last / raw_s:>14,.0f}")
        print(f"{'replay usage projection':<34}{replay_s:>10.2f}{applied / replay_s:>14,.0f}")
        print(f"replay / raw: {raw_s / replay_s:.0%}   projection rows: {rows:,}")
        await nc.close()
        await pool.close()
    finally:
        nats.stop()
        postgres.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1_000_000)
    asyncio.run(main(parser.parse_args().events))
