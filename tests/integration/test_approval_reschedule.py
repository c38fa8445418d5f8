"""A rescheduled request goes through the tenant's approval steps again (issue 4's reschedule)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from shared.events.contracts.intake import RequestRescheduled
from shared.tenants import Role
from tests.integration.test_approval_scenarios import Desk, approval_pool  # noqa: F401  (fixture)

WITA = ZoneInfo("Asia/Makassar")
TUESDAY_0900 = datetime(2026, 12, 1, 9, 0, tzinfo=WITA)


def rescheduled(request_id: str, at: datetime) -> RequestRescheduled:
    starts = at + timedelta(days=21)
    return RequestRescheduled(
        request_id=request_id,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        previous_starts_at=at + timedelta(days=14),
        previous_ends_at=at + timedelta(days=14, hours=2),
        reason="Bupati berhalangan",
        rescheduled_at=at,
    )


async def test_an_approved_request_that_is_rescheduled_waits_at_the_first_step_again(approval_pool):
    desk = Desk(approval_pool, "kaltara")
    request_id = await desk.submit(TUESDAY_0900)
    await desk.act(request_id, "dispose", "kadis", Role.HEAD_OF_DEPARTMENT, TUESDAY_0900 + timedelta(minutes=10))
    await desk.act(request_id, "approve", "kabid", Role.HEAD_OF_DIVISION, TUESDAY_0900 + timedelta(minutes=30))
    assert await desk.inbox(Role.HEAD_OF_DEPARTMENT, TUESDAY_0900 + timedelta(hours=1)) == []

    moved_at = TUESDAY_0900 + timedelta(hours=2)
    assert await desk.deliver(rescheduled(request_id, moved_at))

    [waiting] = await desk.inbox(Role.HEAD_OF_DEPARTMENT, moved_at)
    assert waiting["request_id"] == request_id
    assert waiting["due_at"] == moved_at + timedelta(minutes=60)  # a fresh 60 working minutes
    reopened = (await desk.events(request_id))[-1]
    assert (reopened.name, reopened.previous_outcome, reopened.resumes_at_step) == (
        "request.reopened",
        "approved",
        "dispose_to_head_of_division",
    )
    await desk.act(request_id, "dispose", "kadis", Role.HEAD_OF_DEPARTMENT, moved_at + timedelta(minutes=5))
    await desk.act(request_id, "approve", "kabid", Role.HEAD_OF_DIVISION, moved_at + timedelta(minutes=20))
    assert [e.name for e in await desk.events(request_id)].count("request.approved") == 2


async def test_a_rejected_request_stays_rejected_when_rescheduled(approval_pool):
    desk = Desk(approval_pool, "kaltara")
    request_id = await desk.submit(TUESDAY_0900)
    await desk.act(
        request_id,
        "reject",
        "kadis",
        Role.HEAD_OF_DEPARTMENT,
        TUESDAY_0900 + timedelta(minutes=10),
        reason="Bukan kewenangan dinas",
    )
    await desk.deliver(rescheduled(request_id, TUESDAY_0900 + timedelta(hours=1)))
    assert [e.name for e in await desk.events(request_id)][-1] == "request.rejected"
    assert await desk.inbox(Role.HEAD_OF_DEPARTMENT, TUESDAY_0900 + timedelta(hours=2)) == []
