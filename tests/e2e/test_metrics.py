"""What an operator's Prometheus scrapes from each service's own port, with the five running.

The backlogs are held back without changing the services: the test takes the relay lock of
intake's outbox (as another replica would), so intake's relay stands by, and it holds the row
of a consumer's high-water mark, so that consumer's transaction waits; then each is released.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid

import asyncpg
import httpx
from prometheus_client.parser import text_string_to_metric_families

from shared.messaging import DEAD_LETTER_STREAM
from shared.messaging.dead_letters import Arrival, dead_letters, park
from shared.messaging.relay import relay_lock_key
from tests.e2e.identity import requester
from tests.e2e.test_walking_skeleton import TENANT, a_request, letter_for, post
from tests.integration.helpers import wait_until

HOLDS_LOCK = (
    "select pid from pg_locks where locktype = 'advisory' and granted and classid = $1 and objid = $2 and objsubid = 1"
)


async def scrape(url: str) -> list:
    async with httpx.AsyncClient() as http:
        answer = await http.get(f"{url}/metrics", timeout=10)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain")
    return [sample for family in text_string_to_metric_families(answer.text) for sample in family.samples]


def value(samples: list, name: str, **labels: str) -> float | None:
    """The sum of `name`'s samples that carry `labels`; None when there is no such series."""
    found = [s.value for s in samples if s.name == name and labels.items() <= s.labels.items()]
    return sum(found) if found else None


async def submit(system) -> str:
    submitted = await post(
        f"{system.url('intake')}/api/{TENANT}/requests",
        a_request(days_ahead=15, letter=await letter_for(system)),
        requester(),
    )
    assert submitted.status_code == 201, submitted.text
    return submitted.json()["request_id"]


@contextlib.asynccontextmanager
async def relay_leadership_taken(database_url: str, outbox: str):
    """Hold `outbox`'s relay lock, as another replica would: the service's relay stands by."""
    conn = await asyncpg.connect(database_url)
    key = relay_lock_key(outbox)
    try:
        while not await conn.fetchval("select pg_try_advisory_lock($1)", key):
            await conn.execute(
                f"select pg_terminate_backend(pid) from ({HOLDS_LOCK}) holder", key >> 32, key & 0xFFFFFFFF
            )
            await asyncio.sleep(0.05)
        yield
    finally:
        await conn.close()


@contextlib.asynccontextmanager
async def consumer_held(database_url: str, schema: str, consumer: str, outbox: str):
    """Lock the consumer's high-water mark for `outbox`: its next event waits in its transaction."""
    conn = await asyncpg.connect(database_url)
    transaction = conn.transaction()
    await transaction.start()
    try:
        await conn.execute(
            f"insert into {schema}.consumer_positions (consumer, outbox, position) values ($1, $2, 0)"
            " on conflict (consumer, outbox) do update set position = consumer_positions.position",
            consumer,
            outbox,
        )
        yield
    finally:
        await transaction.rollback()
        await conn.close()


async def test_relay_lag_rises_while_the_relay_is_held_back_and_returns_to_zero(system, database_url):
    intake = system.url("intake")

    async def relay_lag() -> float | None:
        return value(await scrape(intake), "vidcon_relay_unpublished_events")

    await wait_until(lambda: _equals(relay_lag, 0), timeout=30)
    async with relay_leadership_taken(database_url, "intake"):
        await submit(system)
        assert await relay_lag() > 0
        assert value(await scrape(intake), "vidcon_relay_oldest_unpublished_seconds") > 0
    await wait_until(lambda: _equals(relay_lag, 0), timeout=30)


async def test_consumer_lag_rises_while_a_consumer_is_held_and_returns_to_zero(system, database_url):
    approval = system.url("approval")

    async def waiting() -> float:
        samples = await scrape(approval)
        return value(samples, "vidcon_consumer_pending_messages", consumer="approval-requests") + value(
            samples, "vidcon_consumer_ack_pending_messages", consumer="approval-requests"
        )

    async def pending() -> float:
        return value(await scrape(approval), "vidcon_consumer_pending_messages", consumer="approval-requests")

    await wait_until(lambda: _equals(waiting, 0), timeout=30)
    async with consumer_held(database_url, "approval", "approval-requests", "intake"):
        await submit(system)
        await submit(system)
        assert await wait_until(pending, timeout=30) >= 1
    await wait_until(lambda: _equals(waiting, 0), timeout=60)


async def test_dead_letter_depth_counts_a_parked_event_until_it_leaves_the_queue(system, nc):
    approval, js, probe = system.url("approval"), nc.jetstream(), uuid.uuid4().hex

    async def depth() -> float | None:
        return value(await scrape(approval), "vidcon_dead_letters", consumer="approval-requests")

    before = await depth()
    arrival = Arrival(b"not an event", f"vidcon.{TENANT}.intake.probe", {"Probe": probe}, 10**12)
    await park(js, "approval", "requests", arrival, ValueError("unreadable"), attempts=1)
    try:
        assert await depth() == before + 1
    finally:
        async for letter in dead_letters(js, "approval-requests"):
            if letter.headers.get("Probe") == probe:
                await js.delete_msg(DEAD_LETTER_STREAM, letter.id)
    assert await depth() == before


async def test_a_routes_requests_are_counted_by_status_and_timed(system):
    intake, route = system.url("intake"), "/api/{tenant}/tracking/{tracking_code}"
    before = await scrape(intake)
    async with httpx.AsyncClient() as http:
        answer = await http.get(f"{intake}/api/{TENANT}/tracking/TIDAK-ADA", headers=requester())
    assert answer.status_code == 404
    after = await scrape(intake)
    counted = {"handler": route, "method": "GET", "status": "4xx"}
    assert value(after, "http_requests_total", **counted) == (value(before, "http_requests_total", **counted) or 0) + 1
    timed = {"handler": route, "method": "GET"}
    assert (
        value(after, "http_request_duration_seconds_count", **timed)
        == (value(before, "http_request_duration_seconds_count", **timed) or 0) + 1
    )


async def test_every_service_serves_its_backlogs_and_its_figures(system):
    await submit(system)
    for service, url in system.metrics_urls().items():
        samples = await scrape(url.removesuffix("/metrics"))
        assert value(samples, "vidcon_relay_unpublished_events") is not None, service
        assert value(samples, "vidcon_dead_letters") is not None, service
        assert value(samples, "vidcon_consumer_pending_messages") is not None, service

    async def handled() -> float | None:
        return value(
            await scrape(system.url("approval")), "faststream_received_processed_messages_duration_seconds_count"
        )

    assert await wait_until(handled, timeout=30) > 0
    assert value(await scrape(system.url("intake")), "vidcon_requests", tenant=TENANT) > 0
    async with httpx.AsyncClient() as http:
        reporting = (await http.get(f"{system.url('reporting')}/metrics")).text
    assert "# TYPE vidcon_steps_past_standard gauge" in reporting  # series only once a step has finished


async def test_a_finished_sop_step_counts_in_reportings_steps_and_those_past_standard(system, as_user):
    reporting, kadis = system.url("reporting"), await as_user(f"head_of_department@{TENANT}")

    async def steps() -> tuple[float, float]:
        samples = await scrape(reporting)
        return (
            value(samples, "vidcon_steps_finished", tenant=TENANT) or 0,
            value(samples, "vidcon_steps_past_standard", tenant=TENANT) or 0,
        )

    (finished, late), request_id = await steps(), await submit(system)
    passing = f"{system.url('approval')}/api/{TENANT}/requests/{request_id}/pass"

    async def passed() -> bool:
        return (await post(passing, {"role": "head_of_department", "note": "Teruskan"}, kadis)).status_code == 200

    await wait_until(passed, timeout=30, interval=0.5)

    async def counted() -> tuple[float, float] | None:
        now = await steps()
        return now if now[0] > finished else None

    now = await wait_until(counted, timeout=30)
    assert now[1] == late, "a step passed at once is within its standard"


async def test_the_public_address_does_not_answer_metrics(system):
    async with httpx.AsyncClient() as http:
        for path in ("/metrics", "/layanan/intake/metrics", "/layanan/reporting/metrics/"):
            answer = await http.get(f"{system.address}{path}")
            assert answer.status_code == 404, path
            assert "vidcon_" not in answer.text, path


async def _equals(reading, expected: float) -> bool:
    return await reading() == expected
