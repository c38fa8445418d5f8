"""The way back for parked events: `vidcon dlq` lists, shows and redrives them, and
`/readyz` counts them per consumer."""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
from dataclasses import dataclass

import httpx

from shared.config import REPO_ROOT, Settings
from shared.domain import DomainRuleBroken
from shared.messaging import Consumer
from shared.messaging.dead_letters import parked_counts
from shared.runtime import ServiceSpec, service_app
from tests.conftest import child_env
from tests.integration.helpers import wait_until
from tests.integration.test_consumer import (
    applied,
    effects,
    envelope,
    parked,
    publish,
    record,
    running_consumer,
    subject,
)


@dataclass
class Ran:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


async def vidcon(nats_url: str, *args: str) -> Ran:
    """`vidcon dlq ARGS` as an operator runs it, a process of its own."""
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "shared.cli",
        "dlq",
        *args,
        cwd=REPO_ROOT,
        env=child_env(NATS_URL=nats_url),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(child.communicate(), 120)
    return Ran(child.returncode, out.decode(), err.decode())


def refusing_until_fixed(fixed: asyncio.Event):
    async def handle(conn, delivery):
        if delivery.event.reason == "needs-fix" and not fixed.is_set():
            raise DomainRuleBroken("reason", "not supported yet")
        await record(conn, delivery)

    return handle


async def test_a_parked_event_is_listed_shown_and_after_a_fix_redriven_and_applied_once(nats_url, pool, nc, tenant):
    fixed, js, consumer = asyncio.Event(), nc.jetstream(), f"test-{tenant}"
    broker = await running_consumer(nats_url, pool, tenant, refusing_until_fixed(fixed))
    try:
        event_id = await publish(js, tenant, "r1", reason="needs-fix")
        await publish(js, tenant, "r2")
        await wait_until(applied(pool, ["r2"]))
        await wait_until(lambda: parked(js, tenant))

        listed = await vidcon(nats_url, "list", "--consumer", consumer, "--json")
        [entry] = json.loads(listed.stdout)
        assert (entry["event_id"], entry["tenant"], entry["attempts"]) == (event_id, tenant, 1)
        assert "not supported yet" in entry["error"] and entry["type"].endswith(".request.withdrawn.v1")
        shown = json.loads((await vidcon(nats_url, "show", str(entry["id"]))).stdout)
        assert shown["subject"] == subject(tenant) and shown["headers"] == {"Nats-Msg-Id": event_id}
        assert shown["event"]["data"]["reason"] == "needs-fix" and "DomainRuleBroken" in shown["traceback"]
        assert (await parked_counts(js, "test"))[consumer] == 1

        fixed.set()
        redriven = await vidcon(nats_url, "redrive", str(entry["id"]))
        assert redriven.exit_code == 0 and "1 redriven" in redriven.stdout, redriven.output
        await wait_until(applied(pool, ["r2", "r1"]))
        assert consumer not in await parked_counts(js, "test")
        assert "0 dead letters" in (await vidcon(nats_url, "list", "--consumer", consumer)).stdout

        again = await vidcon(nats_url, "redrive", str(entry["id"]))
        assert again.exit_code == 2 and f"no dead letter {entry['id']}" in again.output
        await asyncio.sleep(0.5)
        assert await effects(pool) == ["r2", "r1"]
    finally:
        await broker.stop()


async def test_an_event_parked_twice_and_redriven_twice_is_applied_once(nats_url, pool, nc, tenant):
    fixed, js = asyncio.Event(), nc.jetstream()
    broker = await running_consumer(nats_url, pool, tenant, refusing_until_fixed(fixed))
    try:
        needs_fix = envelope(tenant, "r1", reason="needs-fix").to_json()
        await js.publish(subject(tenant), needs_fix, headers={"Nats-Msg-Id": "first"})
        await js.publish(subject(tenant), needs_fix, headers={"Nats-Msg-Id": "republished"})
        await publish(js, tenant, "r2")
        await wait_until(applied(pool, ["r2"]))
        assert len(await wait_until(lambda: _at_least(parked(js, tenant), 2))) == 2

        fixed.set()
        redriven = await vidcon(nats_url, "redrive", "--all", "--consumer", f"test-{tenant}")
        assert redriven.exit_code == 0 and "2 redriven" in redriven.stdout, redriven.output
        await wait_until(applied(pool, ["r2", "r1"]))
        await asyncio.sleep(1.0)
        assert await effects(pool) == ["r2", "r1"]
        assert await parked(js, tenant) == []
    finally:
        await broker.stop()


async def test_redrive_needs_an_id_or_all(nats_url):
    assert (await vidcon(nats_url, "redrive")).exit_code == 2
    assert (await vidcon(nats_url, "redrive", "1", "--all")).exit_code == 2


async def test_readiness_shows_the_dead_letters_each_consumer_left(database_url, nats_url, nc, schema, tenant):
    watch = Consumer(schema, "watch", f"vidcon.{tenant}.>", record)
    async with running_service(
        database_url, nats_url, ServiceSpec(name=schema, migrations=None, consumers=lambda runtime: [watch])
    ) as http:
        assert (await http.get("/readyz")).json()["dead_letters"] == {}
        await publish(nc.jetstream(), tenant, "r1")  # a tenant of no department: parked
        body = await wait_until(lambda: _readiness_with_dead_letters(http))
        assert body["status"] == "ready" and body["dead_letters"] == {f"{schema}-watch": 1}


@contextlib.asynccontextmanager
async def running_service(database_url, nats_url, spec: ServiceSpec):
    app_ = service_app(spec, Settings(database_url=database_url, nats_url=nats_url))
    async with (
        app_.router.lifespan_context(app_),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app_), base_url="http://service") as http,
    ):
        yield http


async def _readiness_with_dead_letters(http) -> dict | None:
    body = (await http.get("/readyz")).json()
    return body if body["dead_letters"] else None


async def _at_least(awaitable, count: int):
    found = await awaitable
    return found if len(found) >= count else None
