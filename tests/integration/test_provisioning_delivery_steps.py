"""Each delivery step with a standard is timed once, when its milestone first happens, in the tenant's working time."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from provisioning.adapters import resources
from provisioning.service_layer import execution
from shared.events.contracts.provisioning import DeliveryStepCompleted
from tests.integration.provisioning_support import desk

WITA, WIB = ZoneInfo("Asia/Makassar"), ZoneInfo("Asia/Jakarta")
TUESDAY, WEDNESDAY = (2026, 12, 1), (2026, 12, 2)


def at(day, hour, minute=0, zone=WITA) -> datetime:
    return datetime(*day, hour, minute, tzinfo=zone)


def timings(events) -> list:
    return [e.timing for e in events if isinstance(e, DeliveryStepCompleted)]


@pytest.fixture
async def kaltara(database_url):
    async with desk(database_url, "kaltara") as kaltara:
        yield kaltara


@pytest.fixture
async def majalengka(database_url):
    async with desk(database_url, "majalengka") as majalengka:
        yield majalengka


async def test_kaltara_times_coordination_at_readiness_and_running_at_the_report(kaltara):
    request_id = await kaltara.approve(starts=at(WEDNESDAY, 9), approved_at=at(TUESDAY, 9))
    assert timings(await kaltara.events(request_id)) == []  # scheduling finishes no Kaltara step

    kaltara.clock.now = at(TUESDAY, 9, 30)
    async with kaltara.pool.acquire() as conn, conn.transaction():  # ready needs the crew too
        await resources.put_operator(conn, kaltara.tenant, "op-1", [1, 2, 3, 4, 5, 6, 7])
        await execution.assign_crew(conn, kaltara.ctx, kaltara.tenant, request_id, ["op-1"], None, None, "c-0")
    kaltara.clock.now = at(TUESDAY, 10)
    for check in ("network", "trial_run"):
        async with kaltara.pool.acquire() as conn, conn.transaction():
            await execution.record_check(conn, kaltara.ctx, kaltara.tenant, request_id, check, "op-1", "", "c-1")
    kaltara.clock.now = at(WEDNESDAY, 13, 30)
    async with kaltara.pool.acquire() as conn, conn.transaction():
        await execution.record_held(
            conn,
            kaltara.ctx,
            kaltara.tenant,
            request_id,
            {"started_at": at(WEDNESDAY, 9), "ended_at": at(WEDNESDAY, 11), "attendance": 20},
            "c-2",
        )

    events = await kaltara.events(request_id)
    coordinate, run = timings(events)
    assert (coordinate.step, coordinate.started_at, coordinate.due_at) == (
        "coordinate_check_and_trial",
        at(TUESDAY, 9),
        at(TUESDAY, 11, 30),
    )  # 150 working minutes
    assert (coordinate.finished_at, coordinate.met_standard, coordinate.margin_minutes) == (at(TUESDAY, 10), True, 90)
    assert (run.step, run.started_at, run.due_at) == ("run_and_report", at(WEDNESDAY, 9), at(WEDNESDAY, 12))
    assert (run.finished_at, run.met_standard, run.margin_minutes) == (at(WEDNESDAY, 13, 30), False, -90)
    names = [e.name for e in events]
    assert names[names.index("equipment.ready") + 1] == "delivery_step.completed"  # in the milestone's append
    assert names[-2:] == ["meeting.held", "delivery_step.completed"]


async def test_majalengka_times_the_zoom_meeting_creation_once_in_working_days(majalengka):
    approved = at(TUESDAY, 15, zone=WIB)
    request_id = await majalengka.approve(starts=at((2026, 12, 8), 9, zone=WIB), approved_at=approved)
    await majalengka.deliver_approval(request_id, approved)  # a redelivery times nothing again

    [created] = timings(await majalengka.events(request_id))
    assert (created.step, created.started_at, created.due_at) == (
        "create_zoom_meeting",
        approved,
        at(WEDNESDAY, 15, zone=WIB),
    )  # one working day
    assert created.finished_at == approved and created.met_standard is True
