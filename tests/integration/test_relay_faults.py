"""The relay through faults: PostgreSQL killed, its task killed, its lock lost, a failed publish."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import tempfile
from pathlib import Path

import asyncpg
import httpx
import pytest

from shared.config import Settings
from shared.db import create_pool, migrate
from shared.embedded import EmbeddedPostgres
from shared.messaging import OutboxRelay
from shared.messaging.relay import relay_lock_key
from shared.runtime import ServiceSpec, service_app
from shared.supervision import Backoff
from tests.integration.helpers import append_withdrawals, stream_contents, wait_until


async def relayed_position(pool) -> int:
    return await pool.fetchval("select position from relay_position") or 0


async def lock_holders(pool, schema) -> int:
    return await pool.fetchval(
        "select count(*) from pg_locks where locktype = 'advisory' and granted and objid = $1::bigint::oid",
        relay_lock_key(schema),
    )


async def caught_up(pool) -> list[str] | None:
    """The outbox's event ids in order once the relay has published them all; None before
    (or while PostgreSQL cannot answer)."""
    try:
        ids = [str(i) for i in await pool.fetchval("select array_agg(event_id order by position) from events")]
        last = await pool.fetchval("select max(position) from events")
        return ids if await relayed_position(pool) == last else None
    except Exception:  # noqa: BLE001  asyncpg has many ways to say the server went away
        return None


async def stop(*tasks: asyncio.Task) -> None:
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


# PostgreSQL killed and restarted on the same data -------------------------------------------


@pytest.fixture
async def own_postgres():
    """A PostgreSQL of this test's own, so killing it disturbs no other test."""
    root = Path(tempfile.mkdtemp(prefix="vidcon-pgkill-"))
    postgres = await asyncio.to_thread(EmbeddedPostgres(root / "pg").start)
    yield postgres
    await asyncio.to_thread(postgres.stop)
    shutil.rmtree(root, ignore_errors=True)


async def append_steadily(pool, schema, tenant, until: asyncio.Event) -> list[str]:
    """One event every 20 ms, through outages; the ids whose commit was confirmed."""
    confirmed, attempt = [], 0
    while not until.is_set():
        attempt += 1
        try:
            confirmed += [e.id for e in await append_withdrawals(pool, schema, tenant, 1, prefix=f"a{attempt}-")]
        except Exception:  # noqa: BLE001  not confirmed; it may still have committed, so the outbox is the reference
            pass
        await asyncio.sleep(0.02)
    return confirmed


async def test_relay_publishes_every_event_once_through_postgresql_killed_and_restarted(
    own_postgres, nc, schema, tenant
):
    await asyncio.to_thread(migrate, own_postgres.url, schema)
    pool = await create_pool(own_postgres.url, schema)
    until = asyncio.Event()
    relay = asyncio.create_task(OutboxRelay(pool, nc, schema).run())
    appends = asyncio.create_task(append_steadily(pool, schema, tenant, until))
    try:
        for _ in range(2):
            await asyncio.sleep(1.5)
            await asyncio.to_thread(own_postgres.kill)
            await asyncio.sleep(0.5)
            await asyncio.to_thread(own_postgres.start)
        await asyncio.sleep(1.5)
        until.set()
        confirmed = await appends
        recorded = await wait_until(lambda: caught_up(pool), timeout=20)
        published = await stream_contents(nc.jetstream(), f"vidcon.{tenant}.>", expect=len(recorded))
        assert [e.id for e in published] == recorded
        assert set(confirmed) <= set(recorded) and len(confirmed) > 50
        assert not relay.done()
        assert await lock_holders(pool, schema) == 1  # leading again, not relaying without the lock
    finally:
        await stop(relay, appends)
        await pool.close()


# Supervision and readiness ------------------------------------------------------------------


@contextlib.asynccontextmanager
async def running_service(database_url, nats_url, name, background=(), **settings):
    """A service with no domain of its own in schema `name`, started as uvicorn starts it."""
    spec = ServiceSpec(name=name, migrations=None, background=list(background))
    app = service_app(spec, Settings(database_url=database_url, nats_url=nats_url, **settings))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://service") as http,
    ):
        yield app.state.runtime, http


def readiness(http, status: int, problem: str = "", role: str = ""):
    """Whether /readyz answers `status` (naming `problem`, the relay in `role`): its body if so."""

    async def answers() -> dict | None:
        response = await http.get("/readyz")
        body = response.json()
        wanted = (
            response.status_code == status
            and (not role or body["relay"]["role"] == role)
            and (not problem or any(problem in p for p in body["problems"]))
        )
        return body if wanted else None

    return answers


def relay_task(schema: str) -> asyncio.Task:
    return next(
        task
        for task in asyncio.all_tasks()
        if task.get_coro().__qualname__ == "OutboxRelay.run"
        and task.get_coro().cr_frame.f_locals["self"].schema == schema
    )


async def test_a_relay_task_that_dies_is_restarted_and_the_service_is_unready_meanwhile(
    database_url, nats_url, nc, schema, tenant
):
    async with running_service(database_url, nats_url, schema) as (runtime, http):
        await wait_until(readiness(http, 200))
        relay_task(schema).cancel()  # a cancellation nobody asked for: no `except Exception` stops it
        await wait_until(readiness(http, 503, "relay: not running"), timeout=5, interval=0.02)
        body = await wait_until(readiness(http, 200), timeout=10)
        assert body["tasks"]["relay"] == {"running": True, "restarts": 1}
        appended = await append_withdrawals(runtime.pool, schema, tenant, 2)
        published = await stream_contents(nc.jetstream(), f"vidcon.{tenant}.>", expect=2)
        assert [e.id for e in published] == [e.id for e in appended]


async def test_a_background_loop_that_fails_is_started_again(database_url, nats_url, schema):
    runs = []

    async def fails_first(runtime) -> None:
        runs.append(1)
        if len(runs) == 1:
            raise RuntimeError("the first run breaks")
        await asyncio.Event().wait()

    async with running_service(database_url, nats_url, schema, background=[fails_first]) as (_, http):
        body = await wait_until(lambda: _when(len(runs) == 2, readiness(http, 200)), timeout=10)
    assert body["tasks"]["fails_first"] == {"running": True, "restarts": 1}


async def _when(condition: bool, then):
    return condition and await then()


async def test_readiness_shows_the_outbox_lag_and_fails_while_the_oldest_unpublished_is_too_old(
    database_url, nats_url, nc, schema, tenant
):
    other_replica = await asyncpg.connect(database_url)
    await other_replica.execute("select pg_advisory_lock($1)", relay_lock_key(schema))  # and relays nothing
    try:
        async with running_service(database_url, nats_url, schema, relay_max_lag_seconds=1) as (runtime, http):
            body = await wait_until(readiness(http, 200, role="standby"))
            assert body["relay"]["unpublished"] == 0
            await append_withdrawals(runtime.pool, schema, tenant, 3)
            body = await wait_until(readiness(http, 503, "relay: 3 events unpublished"), timeout=10)
            assert body["relay"]["unpublished"] == 3 and body["relay"]["oldest_unpublished_seconds"] >= 1
            await other_replica.close()
            body = await wait_until(readiness(http, 200, role="leader"), timeout=10)
            assert body["relay"]["unpublished"] == 0
            assert len(await stream_contents(nc.jetstream(), f"vidcon.{tenant}.>", expect=3)) == 3
    finally:
        await other_replica.close()


# Leadership and the saved position ----------------------------------------------------------


class RecordingJetStream:
    """Passes publishes on, noting which relay sent which event."""

    def __init__(self, js, relay_name: str, sent: list[tuple[str, str]]):
        self.js, self.relay_name, self.sent = js, relay_name, sent

    async def publish(self, subject, payload=b"", **options):
        self.sent.append((self.relay_name, options["headers"]["Nats-Msg-Id"]))
        return await self.js.publish(subject, payload, **options)

    async def publish_async(self, subject, payload=b"", **options):
        self.sent.append((self.relay_name, options["headers"]["Nats-Msg-Id"]))
        return await self.js.publish_async(subject, payload, **options)


def senders(sent, events) -> set[str]:
    ids = {e.id for e in events}
    return {relay_name for relay_name, event_id in sent if event_id in ids}


async def session_ended(pool, first_connections, schema) -> None:
    await pool.execute(
        "select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory'"
        " and granted and objid = $1::bigint::oid",
        relay_lock_key(schema),
    )


async def session_let_go(pool, first_connections, schema) -> None:
    """The connection stays open but no longer holds the lock (as behind a pooler that
    hands out another server session)."""
    await first_connections[0].execute("select pg_advisory_unlock_all()")


# Letting go uses the first relay's connection: that relay waits up to 30 s between polls,
# woken only by NOTIFY, so the connection is idle then.
@pytest.mark.parametrize("lose_lock, idle_wait", [(session_ended, 0.2), (session_let_go, 30)])
async def test_a_relay_that_lost_its_lock_stops_publishing_while_another_leads(
    pool, nc, database_url, schema, tenant, lose_lock, idle_wait
):
    sent: list[tuple[str, str]] = []
    first_connections = []

    async def note(connection) -> None:
        first_connections.append(connection)

    first_pool = await create_pool(database_url, schema, setup=note)
    first = OutboxRelay(first_pool, nc, schema, idle_wait=idle_wait, backoff=Backoff(first=1.0, cap=1.0))
    second = OutboxRelay(pool, nc, schema, idle_wait=0.2, lock_retry=0.1)
    first.js, second.js = RecordingJetStream(first.js, "first", sent), RecordingJetStream(second.js, "second", sent)
    runs = [asyncio.create_task(first.run())]
    try:
        await wait_until(lambda: lock_holders(pool, schema))
        runs.append(asyncio.create_task(second.run()))
        before = await append_withdrawals(pool, schema, tenant, 3, prefix="before")
        await wait_until(lambda: _at_least(pool, 3))
        assert senders(sent, before) == {"first"}
        await asyncio.sleep(0.5)  # the first relay has gone idle

        await lose_lock(pool, first_connections, schema)
        await wait_until(lambda: lock_holders(pool, schema))  # the second took it
        during = await append_withdrawals(pool, schema, tenant, 5, prefix="during")
        await wait_until(lambda: _at_least(pool, 8))
        assert senders(sent, during) == {"second"}

        await wait_until(lambda: _is(first.role == "standby"), timeout=10)
        after = await append_withdrawals(pool, schema, tenant, 5, prefix="after")
        await wait_until(lambda: _at_least(pool, 13))
        await asyncio.sleep(0.5)
        assert senders(sent, after) == {"second"} and first.role == "standby"
        published = await stream_contents(nc.jetstream(), f"vidcon.{tenant}.>", expect=13)
        assert [e.id for e in published] == [e.id for e in before + during + after]
    finally:
        await stop(*runs)
        await first_pool.close()


async def test_the_saved_position_never_moves_backwards(pool, nc, schema, tenant):
    await append_withdrawals(pool, schema, tenant, 10)
    await OutboxRelay(pool, nc, schema).relay_once()
    reached = await relayed_position(pool)
    behind = OutboxRelay(pool, nc, schema, batch_size=4)  # a relay that still believes it is at 0
    await behind.relay_once()
    assert await relayed_position(pool) == reached
    assert behind.position == reached  # and it carries on from there


# Order across a partly failed batch ---------------------------------------------------------


async def test_a_failure_at_one_event_leaves_the_rest_of_its_batch_unpublished_until_it_succeeds(
    pool, nc, schema, tenant
):
    appended = await append_withdrawals(pool, schema, tenant, 6)
    third = appended[2].id
    subject = await pool.fetchval("select nats_subject from events where event_id = $1", third)
    await pool.execute("update events set nats_subject = 'vidcon_nowhere.x' where event_id = $1", third)
    relay = OutboxRelay(pool, nc, schema)

    assert await relay.relay_once() == 2  # no stream takes the third: the server refuses it
    assert await relay.relay_once() == 0
    published = await stream_contents(nc.jetstream(), f"vidcon.{tenant}.>", expect=3, timeout=1.0)
    assert [e.id for e in published] == [e.id for e in appended[:2]]
    assert await relayed_position(pool) == await _position_of(pool, appended[1].id)

    await pool.execute("update events set nats_subject = $2 where event_id = $1", third, subject)
    assert await relay.relay_once() == 4
    published = await stream_contents(nc.jetstream(), f"vidcon.{tenant}.>", expect=6)
    assert [e.id for e in published] == [e.id for e in appended]


async def _position_of(pool, event_id: str) -> int:
    return await pool.fetchval("select position from events where event_id = $1", event_id)


async def _at_least(pool, count: int) -> bool:
    last = await pool.fetchval("select max(position) from events")
    return last is not None and await relayed_position(pool) >= last and last >= count


async def _is(condition: bool) -> bool:
    return condition
