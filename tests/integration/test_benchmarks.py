"""Each system benchmark run at a tiny size, so it does not rot: it starts its own servers and
prints its rows (no figures are judged here; speed belongs in bench/)."""

from __future__ import annotations

import subprocess
import sys

from shared.config import REPO_ROOT
from tests.conftest import child_env


def run_bench(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", *args],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=child_env(),
        timeout=280,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_the_intake_benchmark_prints_intake_beside_the_bare_app():
    printed = run_bench("bench.intake", "--requests", "6", "--warmup", "2", "--rounds", "1", "--concurrency", "2")

    rows = [line.split() for line in printed.splitlines() if line.startswith("1 ")]
    assert [row[1] for row in rows] == ["bare", "intake"]
    assert "intake / bare" in printed and "p99" in printed


def test_the_latency_benchmark_prints_click_to_link_beside_the_jetstream_round_trip():
    printed = run_bench("bench.latency", "--single", "1", "--concurrent", "2")

    measured = [line.split()[0] for line in printed.splitlines() if " x" in line and line[0] in "Jc"]
    assert measured == ["JetStream", "click", "JetStream", "click"]
    assert "median of each hop" in printed and "provisioning" in printed


def test_the_replay_benchmark_prints_every_projection_beside_the_raw_reader_and_the_memory_ratio():
    printed = run_bench("bench.replay", "--events", "1200", "--first", "600")

    for projection in ("usage", "requests", "steps", "complaints"):
        assert projection in printed
    assert "raw nats-py ordered consumer" in printed
    assert "peak memory at" in printed
