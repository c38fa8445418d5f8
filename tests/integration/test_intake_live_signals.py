"""The requester's status page stream is woken by its request's new timeline rows (NOTIFY), not
left to its next poll; a step that rolled back wakes nobody."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from intake.adapters.timeline_signals import TimelineSignals, announce

WAKE_TIMEOUT = 30.0
"""Far above any NOTIFY delay and far below no wake-up at all."""


@pytest.fixture
async def signals(pool):
    listening = TimelineSignals()
    task = asyncio.create_task(listening.listen(pool))
    await asyncio.sleep(0.3)  # listening before anything is announced
    yield listening
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def test_a_committed_step_wakes_the_streams_of_that_request_only(pool, signals):
    mine, other = str(uuid.uuid4()), str(uuid.uuid4())
    with signals.watching(mine) as woken, signals.watching(other) as not_mine:
        async with pool.acquire() as conn, conn.transaction():
            await announce(conn, mine)

        await asyncio.wait_for(woken.wait(), WAKE_TIMEOUT)
        assert not not_mine.is_set()
    assert signals.watchers == {}


async def test_a_step_that_rolled_back_wakes_nobody(pool, signals):
    rolled_back, committed = str(uuid.uuid4()), str(uuid.uuid4())
    with signals.watching(rolled_back) as woken, signals.watching(committed) as later:
        with pytest.raises(RuntimeError):
            async with pool.acquire() as conn, conn.transaction():
                await announce(conn, rolled_back)
                raise RuntimeError("rolled back")
        async with pool.acquire() as conn, conn.transaction():
            await announce(conn, committed)

        await asyncio.wait_for(later.wait(), WAKE_TIMEOUT)  # notifications arrive in commit order
        assert not woken.is_set()
