"""Benchmark: the event store's append (expected version, outbox) from concurrent writers,
beside a raw asyncpg insert with the same version check and the `eventsourcing` library's
PostgreSQL application recorder, on one embedded PostgreSQL, in one run.

    .venv/bin/python -m bench.append [--appends 4000] [--writers 8] [--rounds 3]

Each writer appends one event at a time to streams of its own, ten events a stream, each
append at the version it expects. The three take turns for `--rounds` rounds (on a shared
machine the ceiling moves) and each row shows its median rate.
- raw: `select max(stream_version)`, then an insert of a ready-made envelope, no outbox wake-up;
  the ceiling of any append with a version check on this PostgreSQL.
- event store: `shared.eventstore.append`, the path every service takes.
- eventsourcing: `PostgresApplicationRecorder.insert_events` (table lock, NOTIFY), in threads.
Goals: the event store at >= 50% of raw and >= 6x eventsourcing.
Needs the bench extra (`pip install .[bench]`) for eventsourcing and psycopg.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from typing import Awaitable, Callable, Sequence

from bench.append_writers import eventsourcing_rate, raw_rate, store_rate
from shared.db import migrate
from bench.servers import embedded_servers

STORE, RAW, PEER = "event store", "raw asyncpg", "eventsourcing"
RateOf = Callable[[str, int, int, int], Awaitable[float]]
WRITERS_OF: dict[str, RateOf] = {RAW: raw_rate, STORE: store_rate, PEER: eventsourcing_rate}


async def measure(url: str, appends: int, writers: int, rounds: int) -> dict[str, list[float]]:
    rates: dict[str, list[float]] = {name: [] for name in WRITERS_OF}
    for round_ in range(rounds):
        for name, rate_of in WRITERS_OF.items():
            rates[name].append(await rate_of(url, appends, writers, round_))
    return rates


def report(rates: dict[str, list[float]], appends: int, writers: int) -> None:
    median = {name: statistics.median(found) for name, found in rates.items()}
    print(f"\n{appends:,} appends of one event from {writers} writers, {len(rates[RAW])} round(s)")
    print(f"{'writer':<16}{'events/s':>10}{'of raw':>8}   rounds")
    for name, rate in median.items():
        each = " ".join(f"{r:,.0f}" for r in rates[name])
        print(f"{name:<16}{rate:>10,.0f}{rate / median[RAW]:>8.0%}   {each}")
    print(f"\nevent store / raw: {median[STORE] / median[RAW]:.0%} (goal >= 50%)")
    print(f"event store / eventsourcing: {median[STORE] / median[PEER]:.1f}x (goal >= 6x)")


def main(argv: Sequence[str] | None = None) -> None:
    args = parse(argv)
    with embedded_servers("vidcon-bench-append-", nats=False) as servers:
        for schema in ("bench_store", "bench_raw"):
            migrate(servers.postgres.url, schema)
        started = time.perf_counter()
        rates = asyncio.run(measure(servers.postgres.url, args.appends, args.writers, args.rounds))
        report(rates, args.appends, args.writers)
        print(f"(measured in {time.perf_counter() - started:.0f} s)")


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--appends", type=int, default=4000, help="appends per writer kind and round")
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    return parser.parse_args(argv)


if __name__ == "__main__":
    main()
