"""Benchmark: every reporting projection's replay, events/s beside a raw nats-py ordered
consumer, and the replaying process's peak memory, at two lengths of history.

    .venv/bin/python -m bench.replay [--events 1000000] [--first 200000]

Starts its own nats-server and PostgreSQL in a temporary folder and publishes a realistic
history (with the relay's headers) of `--first` events, then up to `--events`. At each
length every reader runs in a child process of its own, so its peak memory (VmHWM) is its
alone: for each projection of `reporting.adapters.projections`, a bare ordered consumer
that only counts messages (the ceiling, measured again beside each replay) and then
`shared.projections.rebuild` of that projection (parse, fold, write, swap). A replay's rate
counts the events of history it went through, those the server leaves out for it (a
projection that reads at most half the stream is sent only its events) included.
The replay reads with a pull consumer that skips nats-py's per-message work, so after the
table the same reading is measured counting only, once per length.
Goals: replay >= 65% of the raw ordered consumer's rate; peak memory at the longer history within 10% of the
shorter one's (a replay's memory must not grow with history).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path

from nats.js.api import DeliverPolicy

from reporting.adapters.projections import projections
from bench.servers import embedded_servers
from shared.config import REPO_ROOT
from shared.db import create_pool, migrate
from shared.messaging import EVENTS_STREAM, connect_nats, ensure_streams
from shared.messaging.raw_pull import RawPull
from shared.projections import rebuild
from shared.tenants import load_tenants
from tests.factories import publish_history

TENANTS = ["gorontalo", "kaltara", "majalengka", "tangerang", "purbalingga"]
RAW = "raw nats-py ordered consumer"
RAW_PULL = "raw pull (the replay's own reading)"


async def raw_ordered_read(js, count: int) -> int:
    """Only counts messages: the fastest any reader of this stream can go here."""
    done, seen = asyncio.Event(), 0

    async def on_message(msg) -> None:
        nonlocal seen
        seen += 1
        if seen >= count:
            done.set()

    sub = await js.subscribe("vidcon.>", ordered_consumer=True, deliver_policy=DeliverPolicy.ALL, cb=on_message)
    await done.wait()
    await sub.unsubscribe()
    return seen


async def raw_pull_read(js, count: int) -> int:
    """Only counts what the replay's reading (shared/messaging/raw_pull.py) hands over: the
    ceiling of the method itself, printed beside the ordered consumer's."""
    done, seen = asyncio.Event(), 0

    def on_message(sequence, subject, headers, data) -> None:
        nonlocal seen
        seen += 1
        if seen >= count:
            done.set()

    pull = RawPull(js, EVENTS_STREAM, on_message)
    await pull.start()
    await done.wait()
    await pull.stop()
    return seen


def peak_memory_kb() -> int:
    status = Path("/proc/self/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("VmHWM:")).split()[1])


async def read_once(reader: str, nats_url: str, database_url: str, count: int) -> dict:
    """In the child: one reader over the whole stream; what it read, how fast, its peak memory."""
    nc = await connect_nats(nats_url, name="bench")
    pool = await create_pool(database_url, "reporting")
    started = time.perf_counter()
    if reader == RAW:
        read = await raw_ordered_read(nc.jetstream(), count)
    elif reader == RAW_PULL:
        read = await raw_pull_read(nc.jetstream(), count)
    else:
        projection = projections(load_tenants(REPO_ROOT / "tenants"))[reader]
        read = (await rebuild(pool, nc.jetstream(), projection)).read
    seconds = time.perf_counter() - started
    await nc.close()
    await pool.close()
    return {"reader": reader, "read": read, "seconds": seconds, "peak_kb": peak_memory_kb()}


def in_child(reader: str, nats_url: str, database_url: str, count: int) -> dict:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.replay",
            "--child",
            reader,
            "--nats",
            nats_url,
            "--database",
            database_url,
            "--events",
            str(count),
        ],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{reader} failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def paired(name: str, nats_url: str, database_url: str, count: int) -> tuple[dict, dict]:
    """The raw reader right before the replay: on a shared machine the ceiling moves."""
    return in_child(RAW, nats_url, database_url, count), in_child(name, nats_url, database_url, count)


def report(count: int, pairs: list[tuple[dict, dict]]) -> None:
    print(f"\nevents in stream: {count:,}")
    print(
        f"{'projection':<12}{'raw events/s':>14}{'replay events/s':>17}{'of raw':>8}"
        f"{'raw peak MB':>13}{'replay peak MB':>16}"
    )
    for raw, replay in pairs:
        raw_rate, rate = raw["read"] / raw["seconds"], replay["read"] / replay["seconds"]
        print(
            f"{replay['reader']:<12}{raw_rate:>14,.0f}{rate:>17,.0f}{rate / raw_rate:>8.0%}"
            f"{raw['peak_kb'] / 1024:>13.1f}{replay['peak_kb'] / 1024:>16.1f}"
        )


async def publish_up_to(nats_url: str, count: int, seed: int) -> int:
    nc = await connect_nats(nats_url, name="bench-publisher")
    js = nc.jetstream()
    await ensure_streams(js)
    have = (await js.stream_info("VIDCON")).state.messages
    started = time.perf_counter()
    last = await publish_history(js, TENANTS, count - have, seed=seed)
    print(f"published {last - have:,} events at {(last - have) / (time.perf_counter() - started):,.0f} events/s")
    await nc.close()
    return last


def main(events: int, first: int) -> None:
    names = list(projections(load_tenants(REPO_ROOT / "tenants")))
    peaks: dict[int, dict[str, int]] = {}
    with embedded_servers("vidcon-bench-") as servers:
        assert servers.nats is not None, "started with nats"
        nats_url, database_url = servers.nats.url, servers.postgres.url
        migrate(database_url, "reporting")
        for seed, count in enumerate(sorted({first, events}), start=1):
            last = asyncio.run(publish_up_to(nats_url, count, seed))
            results = [paired(name, nats_url, database_url, last) for name in names]
            report(last, results)
            pull = in_child(RAW_PULL, nats_url, database_url, last)
            print(f"{RAW_PULL}: {pull['read'] / pull['seconds']:,.0f} events/s")
            peaks[last] = {r["reader"]: r["peak_kb"] for pair in results for r in pair}
        if len(peaks) == 2:
            (short, at_short), (long, at_long) = sorted(peaks.items())
            print(
                f"\npeak memory at {long:,} / at {short:,}: "
                + ", ".join(f"{reader} {at_long[reader] / at_short[reader]:.0%}" for reader in at_short)
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--first", type=int, default=200_000, help="the shorter history, measured first")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--nats", help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(asyncio.run(read_once(args.child, args.nats, args.database, args.events))))
    else:
        main(args.events, args.first)
