"""What the system benchmarks share: their own servers and services, a fixed-concurrency load, percentiles."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


from bench.servers import embedded_servers
from shared.config import REPO_ROOT
from shared.embedded import EmbeddedNats, EmbeddedPostgres, free_port
from shared.launcher import System, wait_answering


@dataclass
class Servers:
    nats: EmbeddedNats
    postgres: EmbeddedPostgres
    system: System
    root: Path


@contextmanager
def running_system(services: tuple[str, ...], prefix: str) -> Iterator[Servers]:
    """An embedded nats-server and PostgreSQL, fake Zoom/mail/WhatsApp/identity and `services`;
    everything is stopped and its folder removed on the way out (KEEP_LOGS=1 keeps the logs)."""
    keep = bool(os.environ.get("KEEP_LOGS"))
    with embedded_servers(prefix, keep=keep) as servers:
        assert servers.nats is not None, "started with nats"
        system = System(servers.nats.url, servers.postgres.url, servers.root / "logs")
        try:
            system.start(services)
            yield Servers(servers.nats, servers.postgres, system, servers.root)
        finally:
            system.stop()
            if keep:
                print(f"logs kept in {servers.root / 'logs'}")


@contextmanager
def uvicorn_process(app: str, env: dict[str, str]) -> Iterator[str]:
    """`app` served by uvicorn in a process of its own, as the services are; yields its URL."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            app,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        env={**os.environ, **env},
        cwd=REPO_ROOT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_answering(f"{url}/healthz", process, 30.0, name=url)
        yield url
    finally:
        process.terminate()
        process.wait(10)


@dataclass
class Run:
    seconds: float
    latencies: list[float]

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds

    def percentile(self, p: int) -> float:
        """In milliseconds (nearest rank)."""
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]

    @property
    def p50(self) -> float:
        return self.percentile(50)

    @property
    def p99(self) -> float:
        return self.percentile(99)


async def at_concurrency(send: Callable[[int], Awaitable[None]], count: int, concurrency: int) -> Run:
    """`send(0..count-1)`, each timed, `concurrency` of them in flight at any moment."""
    indexes, latencies = iter(range(count)), []

    async def worker() -> None:
        for index in indexes:
            started = time.perf_counter()
            await send(index)
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return Run(time.perf_counter() - started, latencies)


@contextmanager
def sampled(pid: int | None, output: str | None) -> Iterator[None]:
    """py-spy samples process `pid` into `output` (raw folded stacks) for the `with` block; a no-op without both."""
    if not (pid and output):
        yield
        return
    spy = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("py-spy")),
            "record",
            "--pid",
            str(pid),
            "--nonblocking",
            "--format",
            "raw",
            "--output",
            output,
        ],
        stdout=subprocess.DEVNULL,
    )
    time.sleep(1)  # py-spy attaches before the measured part starts
    try:
        yield
    finally:
        spy.send_signal(signal.SIGINT)
        spy.wait(30)
