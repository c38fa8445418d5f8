"""Benchmark: the live pipeline with several replicas, and one tenant's slow Zoom beside another's.

    .venv/bin/python -m bench.pipeline [--events 2000] [--raw-events 20000] [--rounds 1]
                                       [--zoom-requests 8] [--zoom-latency 1.0]

Starts its own nats-server and PostgreSQL in a temporary folder. Part 1: events/s through
provisioning's `requests` consumer (shared/messaging/consumer.py, as `build_broker` wires it)
in one and in three replica processes sharing its durable consumer, and in three processes that
each own the per-tenant durables of a third of the tenants (what per-request order needs at
least, and what the consumer base does not do today); beside a raw nats-py pull consumer that
only acks, with many and with one event in flight; with the CPU time per event of the replicas,
PostgreSQL and nats-server. Part 2: how long after its approval a tenant's meeting link is made
by provisioning's call worker, with every tenant's Zoom quick, then with another tenant's slow.
Goals (issue 15): three replicas >= 2.5 x one; the other tenant unaffected.
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from bench.pipeline.report import print_slow_zoom, print_throughput
from bench.pipeline.slow_zoom import measure_slow_zoom
from bench.pipeline.throughput import Measured, measure, raw_run, service_run
from bench.servers import embedded_servers
from shared.logging import configure_logging


def runs(events: int, raw_events: int) -> list:
    return [
        raw_run("raw, 256 in flight", 256, raw_events),
        raw_run("raw, 1 in flight", 1, raw_events),
        service_run("1 replica", 1, events),
        service_run("3 replicas, one durable", 3, events),
        service_run("3 replicas, per-tenant durables", 3, events, partitioned=True),
    ]


async def throughput(servers: dict, root: Path, events: int, raw_events: int, rounds: int) -> list[list[Measured]]:
    return [
        [await measure(run, servers, root, seed) for run in runs(events, raw_events)] for seed in range(1, rounds + 1)
    ]


async def bench(servers: dict, root: Path, args: argparse.Namespace) -> None:
    print_throughput(await throughput(servers, root, args.events, args.raw_events, args.rounds))
    print_slow_zoom(await measure_slow_zoom(servers["database"], args.zoom_requests, args.zoom_latency))


def main(args: argparse.Namespace) -> None:
    configure_logging("bench", "WARNING")  # the call worker runs in this process: its logs are not the report
    with embedded_servers("vidcon-bench-pipeline-") as started:
        nats, postgres = started.nats, started.postgres
        assert nats is not None, "started with nats"
        servers = {
            "nats": nats.url,
            "database": postgres.url,
            "pids": {"postgres": postgres.process.pid, "nats-server": nats.process.pid},
        }
        asyncio.run(bench(servers, started.root, args))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=2000, help="events per service run")
    parser.add_argument("--raw-events", type=int, default=20000, help="events per raw run")
    parser.add_argument("--rounds", type=int, default=1, help="times every run is measured")
    parser.add_argument("--zoom-requests", type=int, default=8, help="approved requests per tenant")
    parser.add_argument("--zoom-latency", type=float, default=1.0, help="seconds each answer of the slow Zoom waits")
    main(parser.parse_args())
