"""Events/s through provisioning's `requests` consumer with one and with three replica processes,
beside raw pull consumers that only ack, each run on a fresh stream and a fresh schema."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from nats.js.errors import NotFoundError

from bench.pipeline.cpu import tree_cpu_seconds
from provisioning.adapters import resources
from shared.config import REPO_ROOT
from shared.db import create_pool, migrate
from shared.messaging import connect_nats, ensure_streams
from shared.messaging.streams import DEAD_LETTER_STREAM, EVENTS_STREAM
from shared.tenants import load_tenants
from tests.factories import publish_history

TENANTS = sorted(load_tenants(REPO_ROOT / "tenants"))
MIGRATIONS = REPO_ROOT / "services" / "provisioning" / "migrations"
ACCOUNTS_PER_TENANT = 3
CONSUMER = "provisioning-requests"


@dataclass
class Run:
    label: str
    plans: list[dict]
    durables: dict[str, str]
    """Each durable consumer's filter subject."""
    events: int


@dataclass
class Measured:
    run: Run
    events: int
    seconds: float
    cpu: dict[str, float]
    applied: dict[str, int] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.events / self.seconds


def raw_run(label: str, in_flight: int, events: int) -> Run:
    return Run(label, [{"kind": "raw", "durable": "raw", "in_flight": in_flight}], {"raw": "vidcon.>"}, events)


def service_run(label: str, replicas: int, events: int, partitioned: bool = False) -> Run:
    if not partitioned:
        return Run(label, [{"kind": "service"} for _ in range(replicas)], {CONSUMER: "vidcon.>"}, events)
    shares = [TENANTS[n::replicas] for n in range(replicas)]
    return Run(
        label,
        [{"kind": "service", "partitions": share} for share in shares],
        {f"{CONSUMER}-{tenant}": f"vidcon.{tenant}.>" for tenant in TENANTS},
        events,
    )


async def fresh_stream(nats_url: str) -> None:
    """A new `VIDCON` for each run: its durable consumers go with the old one."""
    nc = await connect_nats(nats_url, name="bench-pipeline")
    js = nc.jetstream()
    for stream in (EVENTS_STREAM, DEAD_LETTER_STREAM):
        try:
            await js.delete_stream(stream)
        except NotFoundError:
            pass
    await ensure_streams(js, 1)
    await nc.close()


async def fresh_schema(database_url: str) -> str:
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    await asyncio.to_thread(migrate, database_url, schema, MIGRATIONS)
    pool = await create_pool(database_url, schema)
    async with pool.acquire() as conn:
        for tenant in TENANTS:
            for n in range(1, ACCOUNTS_PER_TENANT + 1):
                await resources.put_account(conn, tenant, f"pro-{n}", "zoom", f"pro-{n}@{tenant}.test", "pro")
    await pool.close()
    return schema


def start_replicas(run: Run, root: Path, common: dict) -> list[tuple[subprocess.Popen, dict]]:
    started = []
    for n, plan in enumerate(run.plans):
        plan = {
            **common,
            **plan,
            "ready": str(root / f"ready-{n}"),
            "result": str(root / f"result-{n}.json"),
            "errors": str(root / f"replica-{n}.err"),
        }
        with open(plan["errors"], "wb") as errors:
            process = subprocess.Popen(
                [sys.executable, "-m", "bench.pipeline.replica", json.dumps(plan)],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=errors,
                cwd=REPO_ROOT,
                text=True,
            )
        started.append((process, plan))
    return started


async def wait_ready(replicas: list[tuple[subprocess.Popen, dict]], timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not all(Path(plan["ready"]).exists() for _, plan in replicas):
        for process, plan in replicas:
            if process.poll() is not None:
                raise RuntimeError(f"a replica exited: {Path(plan['errors']).read_text()[-2000:]}")
        if time.monotonic() > deadline:
            raise TimeoutError("replicas not ready")
        await asyncio.sleep(0.1)


def tell(replicas: list[tuple[subprocess.Popen, dict]], line: str) -> None:
    for process, _ in replicas:
        process.stdin.write(line + "\n")
        process.stdin.flush()


async def consumed(js, lasts: dict[str, int]) -> bool:
    """Whether every durable has acknowledged the last event of its subjects."""
    for durable, last in lasts.items():
        try:
            info = await js.consumer_info(EVENTS_STREAM, durable)
        except NotFoundError:
            return False
        if info.ack_floor.stream_seq < last or info.num_ack_pending:
            return False
    return True


async def wait_consumed(nats_url: str, durables: dict[str, str], timeout: float) -> None:
    nc = await connect_nats(nats_url, name="bench-pipeline-watch")
    js, deadline = nc.jetstream(), time.monotonic() + timeout
    lasts = {durable: (await js.get_last_msg(EVENTS_STREAM, subject)).seq for durable, subject in durables.items()}
    while not await consumed(js, lasts):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{durables} not consumed in {timeout} s")
        await asyncio.sleep(0.02)
    await nc.close()


async def publish(nats_url: str, events: int, seed: int) -> int:
    """A history of requests submitted from now on, so that their meetings are still to come."""
    nc = await connect_nats(nats_url, name="bench-pipeline-publisher")
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
    last = await publish_history(nc.jetstream(), TENANTS, events, seed=seed, start=start)
    await nc.close()
    return last


async def what_was_applied(database_url: str, schema: str, nats_url: str) -> dict[str, int]:
    pool = await create_pool(database_url, schema)
    counts = {
        "requests": await pool.fetchval("select count(*) from requests"),
        "meeting events": await pool.fetchval("select count(*) from events"),
        "zoom calls asked": await pool.fetchval("select count(*) from provider_calls"),
    }
    await pool.close()
    nc = await connect_nats(nats_url, name="bench-pipeline-dlq")
    counts["dead letters"] = (await nc.jetstream().stream_info(DEAD_LETTER_STREAM)).state.messages
    await nc.close()
    return counts


async def measure(run: Run, servers: dict, root: Path, seed: int) -> Measured:
    await fresh_stream(servers["nats"])
    schema = await fresh_schema(servers["database"])
    run_root = root / uuid.uuid4().hex[:8]
    run_root.mkdir()
    replicas = start_replicas(
        run, run_root, {"nats": servers["nats"], "database": servers["database"], "schema": schema}
    )
    try:
        await wait_ready(replicas)
        events = await publish(servers["nats"], run.events, seed)
        before = {name: tree_cpu_seconds(pid) for name, pid in servers["pids"].items()}
        started = time.perf_counter()
        tell(replicas, "go")
        await wait_consumed(servers["nats"], run.durables, timeout=240.0)
        seconds = time.perf_counter() - started
        cpu = {name: tree_cpu_seconds(pid) - before[name] for name, pid in servers["pids"].items()}
        tell(replicas, "stop")
        for process, _ in replicas:
            process.wait(30)
        cpu["consumer"] = sum(json.loads(Path(plan["result"]).read_text())["cpu_seconds"] for _, plan in replicas)
    finally:
        for process, _ in replicas:
            if process.poll() is None:
                process.kill()
                process.wait()
    applied = (
        await what_was_applied(servers["database"], schema, servers["nats"]) if run.plans[0]["kind"] != "raw" else {}
    )
    return Measured(run, events, seconds, cpu, applied)
