"""The public feed as an agency uses it: the example subscriber (`vidcon feed follow`), restarted in
the middle; the repair command after copies were lost; each agency's credentials kept to its tenants."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from datetime import datetime, timedelta, timezone

import nats
import pytest

from shared.config import REPO_ROOT
from shared.messaging.streams import PUBLIC_STREAM
from tests.e2e.test_provisioning_flow import TENANT, _put, approved_request
from tests.e2e.test_walking_skeleton import get_json, post
from tests.integration.helpers import wait_until

pytestmark = pytest.mark.timeout(300)
PERSONAL = (
    "Siti",
    "siti@example.go.id",
    "081234567890",
    "join_url",
    "passcode",
    "contact_ref",
    "host_account",
    "zoom.example.test",
    "operator1@",
    "tracking_code",
)


class Follower:
    """`vidcon feed follow` in a process of its own, as an agency runs it."""

    def __init__(self, system, servers, user: str, tenant: str | None, name: str | None = None):
        nats_server = servers[0]
        self.env = {
            **os.environ,
            "NATS_URL": nats_server.url,
            "NATS_USER": user,
            "NATS_PASSWORD": nats_server.passwords[user],
            "NATS_CREDS": "",
        }
        self.args = [
            sys.executable,
            "-m",
            "shared.cli",
            "feed",
            "follow",
            *(["--tenant", tenant] if tenant else []),
            *(["--name", name] if name else []),
        ]
        self.lines: list[dict] = []
        self.process: subprocess.Popen | None = None

    def start(self) -> "Follower":
        self.process = subprocess.Popen(
            self.args, env=self.env, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        self.reader = threading.Thread(target=self._read, args=(self.process.stdout,), daemon=True)
        self.reader.start()
        return self

    def _read(self, stdout) -> None:
        for line in stdout:
            if line.strip():
                self.lines.append(json.loads(line))

    def stop(self) -> str:
        """Ctrl-C, as a person at the terminal; returns what it said on stderr."""
        self.process.send_signal(signal.SIGINT)
        self.process.wait(timeout=30)
        self.reader.join(timeout=10)
        return self.process.stderr.read()

    def of(self, request_id: str) -> list[dict]:
        return [line for line in self.lines if line["subject"] == request_id]


async def in_public_stream(servers, request_id: str, event: str) -> bool:
    """Whether the agencies' stream holds `event` about the request (read as its admin)."""
    from shared.messaging.public_feed import every_message

    nats_server = servers[0]
    agencies = await nats.connect(
        nats_server.url, user="external-admin", password=nats_server.passwords["external-admin"]
    )
    try:
        return bool(
            [
                message
                async for message in every_message(
                    agencies.jetstream(), PUBLIC_STREAM, f"vidcon_public.{TENANT}.{event}"
                )
                if request_id.encode() in message.data
            ]
        )
    finally:
        await agencies.close()


async def hold_the_meeting(system, as_user, request_id: str) -> None:
    meeting_url = f"{system.url('provisioning')}/api/{TENANT}/meetings/{request_id}"
    team, operator = await as_user(f"technical_team@{TENANT}"), await as_user(f"operator@{TENANT}")
    crew = await _put(f"{meeting_url}/crew", {"operators": ["operator1@kaltara"], "kit_id": "kit-1"}, team)
    assert crew.status_code == 200, crew.text  # ready takes checks and crew
    for check, body in (("network", {}), ("trial_run", {"note": "Audio jernih"})):
        assert (await post(f"{meeting_url}/checks/{check}", body, operator)).status_code == 200
    meeting_id = int((await get_json(meeting_url, team))["meeting_id"])
    hook = f"{system.url('provisioning')}/webhooks/zoom"  # Zoom says it started (an operator may not, weeks early)
    await post(f"{system.zoom_api_url}/_fake/meetings/{meeting_id}/webhook?event=meeting.started&url={hook}")
    ended = await post(
        f"{meeting_url}/ended", {"at": (datetime.now(timezone.utc) + timedelta(minutes=90)).isoformat()}, operator
    )
    assert ended.status_code == 200, ended.text
    held = await post(f"{meeting_url}/held", {"attendance": 41, "leading_official": "Sekretaris Daerah"}, operator)
    assert held.status_code == 200, held.text


async def scheduled(system, as_user, request_id: str) -> None:
    team = await as_user(f"technical_team@{TENANT}")

    async def has_meeting():
        meeting = await get_json(f"{system.url('provisioning')}/api/{TENANT}/meetings/{request_id}", team)
        return meeting and meeting["meeting_id"]

    await wait_until(has_meeting, timeout=30)


async def test_an_agency_follows_a_request_to_the_held_meeting_across_a_restart(system, servers, as_user):
    follower = Follower(system, servers, "agency-kaltara", TENANT).start()
    request_id, _, _ = await approved_request(system, as_user)
    await scheduled(system, as_user, request_id)

    async def scheduled_shown():
        return any(line["type"].endswith(".meeting.scheduled.v1") for line in follower.of(request_id))

    await wait_until(scheduled_shown, timeout=60)
    said = follower.stop()
    before = [line["type"] for line in follower.of(request_id)]
    assert before and before[0] == "id.go.vidcon.public.request.submitted.v1", said

    await hold_the_meeting(system, as_user, request_id)
    follower.start()

    async def held_shown():
        return any(line["type"].endswith(".meeting.held.v1") for line in follower.of(request_id))

    await wait_until(held_shown, timeout=60)
    follower.stop()
    mine = follower.of(request_id)
    names = [line["type"].removeprefix("id.go.vidcon.public.").removesuffix(".v1") for line in mine]
    assert names == [
        "request.submitted",
        "request.disposed",
        "request.approved",
        "meeting.scheduled",
        "equipment.ready",
        "meeting.held",
    ], names
    ids = [line["id"] for line in follower.lines]
    assert len(ids) == len(set(ids)), "nothing twice by event id across the restart"
    text = json.dumps(mine)
    assert not [word for word in PERSONAL if word in text]


def run_cli(servers, user: str, *args: str) -> subprocess.CompletedProcess:
    nats_server = servers[0]
    env = {
        **os.environ,
        "NATS_URL": nats_server.url,
        "NATS_USER": user,
        "NATS_PASSWORD": nats_server.passwords[user],
        "AGENCIES_NATS_USER": "external-admin",
        "AGENCIES_NATS_PASSWORD": nats_server.passwords["external-admin"],
    }
    return subprocess.run(
        [sys.executable, "-m", "shared.cli", *args], env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=120
    )


async def test_public_copies_lost_on_the_way_are_restored_by_the_repair_command(system, servers, as_user):
    request_id, _, _ = await approved_request(system, as_user)
    await wait_until(lambda: in_public_stream(servers, request_id, "request_approved"), timeout=30)
    nats_server = servers[0]
    agencies = await nats.connect(
        nats_server.url, user="external-admin", password=nats_server.passwords["external-admin"]
    )
    try:
        await agencies.jetstream().purge_stream(PUBLIC_STREAM, subject=f"vidcon_public.{TENANT}.request_approved")
    finally:
        await agencies.close()
    assert not await in_public_stream(servers, request_id, "request_approved"), "the copies are gone"

    looked = run_cli(servers, "reporting", "feed", "repair", "--tenant", TENANT, "--dry-run")
    assert looked.returncode == 0, looked.stderr
    assert "request.approved" in looked.stdout and not await in_public_stream(servers, request_id, "request_approved")
    repaired = run_cli(servers, "reporting", "feed", "repair", "--tenant", TENANT)
    assert repaired.returncode == 0, repaired.stderr
    assert await in_public_stream(servers, request_id, "request_approved")
    again = run_cli(servers, "reporting", "feed", "repair", "--tenant", TENANT)
    assert again.stdout.strip().endswith("0 missing, 0 published again"), again.stdout


async def test_an_agency_sees_only_the_tenants_it_may_and_the_province_sees_all(system, servers):
    refused = Follower(system, servers, "agency-kaltara", "tangerang", name="agency-kaltara-2").start()
    refused.process.wait(timeout=60)
    assert refused.process.returncode != 0
    assert "permission" in refused.process.stderr.read().lower()
    other_tenant = Follower(system, servers, "agency-kaltara", "tangerang").start()
    other_tenant.process.wait(timeout=60)
    assert other_tenant.process.returncode == 2, "its consumer follows Kaltara: not bound for Tangerang"
    everything = Follower(system, servers, "agency-kaltara", None, name="agency-kaltara-3").start()
    everything.process.wait(timeout=60)
    assert everything.process.returncode != 0, "not every tenant: only Kaltara"
    province = Follower(system, servers, "external", None, name="province").start()

    async def shown():
        return province.lines

    await wait_until(shown, timeout=60)
    said = province.stop()
    assert TENANT in {line["tenant"] for line in province.lines}, said
