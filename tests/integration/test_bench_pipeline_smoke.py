"""`python -m bench.pipeline` at a tiny size, so that it does not rot: it starts its own servers,
every replica applies the whole history, and it prints the ratios and the other tenant's delay."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from shared.config import REPO_ROOT
from tests.conftest import child_env

pytestmark = pytest.mark.integration


def test_the_pipeline_bench_runs_tiny_and_prints_its_ratios_and_the_other_tenants_delay():
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.pipeline",
            "--events",
            "60",
            "--raw-events",
            "300",
            "--zoom-requests",
            "1",
            "--zoom-latency",
            "0.2",
        ],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=child_env(),
        timeout=280,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    for run in (
        "raw, 256 in flight",
        "raw, 1 in flight",
        "1 replica",
        "3 replicas, one durable",
        "3 replicas, per-tenant durables",
    ):
        assert re.search(rf"^{re.escape(run)}\s+\d", out, re.MULTILINE), out
    applied = re.findall(r"(\d+) requests, (\d+) meeting events, \d+ zoom calls asked, (\d+) dead letters", out)
    assert len(applied) == 3 and len({a[:2] for a in applied}) == 1, out  # every way of running applies the same
    assert all(int(requests) > 0 and dead == "0" for requests, _, dead in applied), out
    assert re.search(r"3 replicas, one durable / 1 replica: \d+\.\d\dx \(goal >= 2\.5x: (met|not met)\)", out), out
    assert re.search(r"kaltara's worst delay with gorontalo's Zoom slow: \d+\.\d\d s", out), out
