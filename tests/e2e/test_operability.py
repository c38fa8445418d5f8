"""What an ops team relies on: readiness follows the servers, a killed service catches up."""

from __future__ import annotations

import tempfile
from pathlib import Path

import httpx

from shared.embedded import EmbeddedNats
from shared.launcher import System
from tests.e2e.test_walking_skeleton import TENANT, a_request, letter_for, get_json, post
from tests.e2e.identity import requester
from tests.integration.helpers import wait_until


async def readiness(system: System, service: str) -> int:
    async with httpx.AsyncClient() as http:
        return (await http.get(f"{system.url(service)}/readyz", timeout=5)).status_code


async def test_readyz_fails_while_nats_is_down_and_recovers(database_url):
    root = Path(tempfile.mkdtemp(prefix="vidcon-ready-"))
    nats = EmbeddedNats(root / "nats").start()
    system = System(nats.url, database_url, root / "logs", zoom_api_url="http://127.0.0.1:9").start(
        services=("complaints",)
    )
    try:
        assert await readiness(system, "complaints") == 200
        nats.stop()

        async def unready():
            return await readiness(system, "complaints") == 503

        await wait_until(unready, timeout=20)
        nats.start()

        async def ready():
            return await readiness(system, "complaints") == 200

        await wait_until(ready, timeout=30)
    finally:
        system.stop()
        nats.stop()


async def test_a_service_killed_mid_flow_catches_up_and_applies_each_event_once(system, as_user):
    system.kill("approval")
    submitted = await post(
        f"{system.url('intake')}/api/{TENANT}/requests",
        a_request(days_ahead=12, letter=await letter_for(system)),
        requester(),
    )
    request_id = submitted.json()["request_id"]
    system.start_service("approval")
    system.wait_ready("approval")

    async def in_inbox():
        inbox = await get_json(
            f"{system.url('approval')}/api/{TENANT}/inbox", await as_user(f"head_of_department@{TENANT}")
        )
        return [item for item in inbox or [] if item["request_id"] == request_id]

    assert len(await wait_until(in_inbox, timeout=30)) == 1


def test_a_broken_tenant_profile_stops_a_service_naming_file_and_field(nats_url, database_url, tmp_path):
    import shutil
    import subprocess
    import sys

    from shared.config import REPO_ROOT

    tenants = tmp_path / "tenants"
    shutil.copytree(REPO_ROOT / "tenants", tenants)
    profile = tenants / "kaltara.yaml"
    profile.write_text(profile.read_text().replace("Asia/Makassar", "Asia/Borneo", 1))
    started = subprocess.run(
        [sys.executable, "-m", "complaints"],
        capture_output=True,
        text=True,
        timeout=60,
        env={
            **__import__("os").environ,
            "NATS_URL": nats_url,
            "DATABASE_URL": database_url,
            "VIDCON_TENANTS_DIR": str(tenants),
            "PORT": "0",
        },
    )
    assert started.returncode != 0
    assert "kaltara.yaml: time_zone:" in started.stdout + started.stderr


def test_replay_command_rebuilds_the_usage_projection_with_progress(system, database_url, nats_url):
    import os
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "reporting", "replay", "usage"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NATS_URL": nats_url, "DATABASE_URL": database_url, "COLUMNS": "120"},
    )
    assert done.returncode == 0, done.stderr
    assert "replay usage" in done.stdout and "events/s" in done.stdout
    assert "the new copy is live" in done.stdout


def test_replay_of_an_unknown_projection_says_which_exist(database_url, nats_url):
    import os
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "reporting", "replay", "monthly"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "NATS_URL": nats_url, "DATABASE_URL": database_url},
    )
    assert done.returncode != 0
    assert "unknown projection 'monthly'; known: usage" in done.stdout + done.stderr
