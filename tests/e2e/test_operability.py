"""What an ops team relies on: readiness follows the servers, a killed service catches up."""
from __future__ import annotations

import tempfile
from pathlib import Path

import httpx

from shared.embedded import EmbeddedNats
from shared.launcher import System
from tests.e2e.test_walking_skeleton import TENANT, a_request, get_json, post
from tests.integration.helpers import wait_until


async def readiness(system: System, service: str) -> int:
    async with httpx.AsyncClient() as http:
        return (await http.get(f"{system.url(service)}/readyz", timeout=5)).status_code


async def test_readyz_fails_while_nats_is_down_and_recovers(database_url):
    root = Path(tempfile.mkdtemp(prefix="vidcon-ready-"))
    nats = EmbeddedNats(root / "nats").start()
    system = System(nats.url, database_url, root / "logs", zoom_api_url="http://127.0.0.1:9").start(
        services=("complaints",))
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


async def test_a_service_killed_mid_flow_catches_up_and_applies_each_event_once(system):
    system.kill("approval")
    submitted = await post(f"{system.url('intake')}/api/{TENANT}/requests", a_request(days_ahead=12))
    request_id = submitted.json()["request_id"]
    system.start_service("approval")
    system.wait_ready("approval")

    async def in_inbox():
        inbox = await get_json(f"{system.url('approval')}/api/{TENANT}/inbox")
        return [item for item in inbox or [] if item["request_id"] == request_id]
    assert len(await wait_until(in_inbox, timeout=30)) == 1
