"""Bookings in PostgreSQL: no host account, operator or kit is ever held twice at once."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import asyncpg
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from provisioning.adapters import bookings, resources
from provisioning.adapters.bookings import ResourceTaken
from provisioning.domain.resources import Window
from provisioning.service_layer.booking import book_host_account
from shared.db import create_pool, migrate
from shared.domain import DomainRuleBroken

MIGRATIONS = Path(__file__).resolve().parents[2] / "services" / "provisioning" / "migrations"
DAY = datetime(2026, 12, 7, 0, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def provisioning_schema(database_url) -> str:
    schema = f"p{uuid.uuid4().hex[:10]}"
    migrate(database_url, schema, MIGRATIONS)
    return schema


async def accounts_for(conn, tenant: str) -> None:
    await resources.put_account(conn, tenant, "pro-1", "zoom", "pro-1@example.go.id", "pro")
    await resources.put_account(conn, tenant, "biz-1", "zoom", "biz-1@example.go.id", "business")


def at(quarter: int) -> datetime:
    return DAY + timedelta(minutes=15 * quarter)


OVERLAPS = """
    select count(*) from bookings a join bookings b
      on a.tenant = b.tenant and a.kind = b.kind and a.resource_id = b.resource_id and a.slot = b.slot
     and a.ctid < b.ctid and a.during && b.during
    where a.tenant = $1"""

operation = st.tuples(
    st.sampled_from(["auto", "pro-1", "biz-1", "cancel"]),
    st.integers(0, 7),  # which request
    st.integers(0, 40),  # start, in quarter hours
    st.integers(1, 12),  # length, in quarter hours
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(operation, min_size=2, max_size=24))
def test_concurrent_bookings_and_cancellations_never_overlap(database_url, provisioning_schema, operations):
    asyncio.run(_run_concurrently(database_url, provisioning_schema, operations))


async def _run_concurrently(database_url: str, schema: str, operations) -> None:
    tenant, pool = f"t{uuid.uuid4().hex[:10]}", await create_pool(database_url, schema, min_size=8, max_size=12)
    requests = [str(uuid.uuid4()) for _ in range(8)]
    async with pool.acquire() as conn:
        await accounts_for(conn, tenant)

    async def apply(kind: str, which: int, start: int, length: int) -> None:
        window = Window(at(start), at(start + length))
        async with pool.acquire() as conn, conn.transaction():
            if kind == "cancel":
                await bookings.release(conn, tenant, requests[which])
            elif kind == "auto":
                try:
                    await book_host_account(conn, tenant, f"{uuid.uuid4()}", window)
                except DomainRuleBroken as refused:
                    assert refused.status == 409 and "tidak ada akun host yang kosong" in refused.message
            else:
                try:
                    await bookings.book(conn, tenant, requests[which], "account", kind, window, 1)
                except ResourceTaken:
                    pass

    await asyncio.gather(*[apply(*op) for op in operations], return_exceptions=False)
    async with pool.acquire() as conn:
        assert await conn.fetchval(OVERLAPS, tenant) == 0
        seats = await conn.fetch("select resource_id, slot from bookings where tenant = $1", tenant)
        assert all(row["slot"] == 1 for row in seats if row["resource_id"] == "pro-1")
        assert all(row["slot"] in (1, 2) for row in seats)
    await pool.close()


@pytest.fixture
async def prov_pool(database_url, provisioning_schema):
    pool = await create_pool(database_url, provisioning_schema, min_size=2)
    yield pool
    await pool.close()


async def test_two_approvals_at_the_same_instant_one_account_one_wins(prov_pool):
    tenant, window = f"t{uuid.uuid4().hex[:10]}", Window(at(36), at(44))
    async with prov_pool.acquire() as conn:
        await resources.put_account(conn, tenant, "pro-1", "zoom", "pro-1@example.go.id", "pro")
    both_looked = asyncio.Barrier(2)

    async def approve(request_id: str):
        async with prov_pool.acquire() as conn, conn.transaction():
            await conn.fetch("select * from bookings where tenant = $1", tenant)  # each sees it free
            await both_looked.wait()
            return await book_host_account(conn, tenant, request_id, window)

    outcomes = await asyncio.gather(approve(str(uuid.uuid4())), approve(str(uuid.uuid4())), return_exceptions=True)

    won = [o for o in outcomes if not isinstance(o, Exception)]
    lost = [o for o in outcomes if isinstance(o, DomainRuleBroken)]
    assert len(won) == 1 and won[0].account_id == "pro-1"
    assert len(lost) == 1 and lost[0].status == 409
    assert "terpakai: pro-1" in lost[0].message and "alternatif terdekat: pro-1 mulai" in lost[0].message
    async with prov_pool.acquire() as conn:
        assert await conn.fetchval("select count(*) from bookings where tenant = $1", tenant) == 1


async def test_the_database_refuses_an_overlap_even_without_the_python_check(prov_pool):
    tenant = f"t{uuid.uuid4().hex[:10]}"
    async with prov_pool.acquire() as conn:
        await conn.execute(
            "insert into bookings (tenant, request_id, kind, resource_id, during)"
            " values ($1, $2, 'operator', 'op-1', tstzrange($3, $4))",
            tenant,
            uuid.uuid4(),
            at(0),
            at(8),
        )
        with pytest.raises(asyncpg.ExclusionViolationError):
            await conn.execute(
                "insert into bookings (tenant, request_id, kind, resource_id, during)"
                " values ($1, $2, 'operator', 'op-1', tstzrange($3, $4))",
                tenant,
                uuid.uuid4(),
                at(7),
                at(12),
            )
        await conn.execute(
            "insert into bookings (tenant, request_id, kind, resource_id, during)"
            " values ($1, $2, 'operator', 'op-1', tstzrange($3, $4))",
            tenant,
            uuid.uuid4(),
            at(8),
            at(12),
        )  # back to back is fine


async def test_a_business_account_holds_two_meetings_the_least_loaded_is_suggested(prov_pool):
    tenant = f"t{uuid.uuid4().hex[:10]}"
    async with prov_pool.acquire() as conn:
        await accounts_for(conn, tenant)
        first = await book_host_account(conn, tenant, str(uuid.uuid4()), Window(at(0), at(8)))
        second = await book_host_account(conn, tenant, str(uuid.uuid4()), Window(at(0), at(8)))
        third = await book_host_account(conn, tenant, str(uuid.uuid4()), Window(at(0), at(8)))
        with pytest.raises(DomainRuleBroken) as none_free:
            await book_host_account(conn, tenant, str(uuid.uuid4()), Window(at(4), at(6)))

    assert {first.account_id, second.account_id} == {"biz-1", "pro-1"}
    assert third.account_id in ("biz-1", "pro-1")
    assert (
        "alternatif terdekat" in none_free.value.message
        and at(8).isoformat(timespec="minutes") in none_free.value.message
    )
