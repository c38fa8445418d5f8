"""Two officials act on one request at the same moment: exactly one wins, nothing is applied twice."""

from __future__ import annotations

import asyncio
from datetime import datetime
from zoneinfo import ZoneInfo

import httpx
import pytest

from approval.bootstrap import SPEC
from approval.service_layer import handlers
from shared.config import Settings
from shared.eventstore import ConcurrencyError
from shared.runtime import service_app
from shared.tenants import Role
from tests.auth import bearer, token_for
from tests.integration.test_approval_scenarios import Desk, approval_pool  # noqa: F401  (fixture)

WITA = ZoneInfo("Asia/Makassar")
FRIDAY_0900, FRIDAY_0905 = datetime(2026, 11, 27, 9, 0, tzinfo=WITA), datetime(2026, 11, 27, 9, 5, tzinfo=WITA)


async def at_kabid(pool) -> tuple[Desk, str]:
    desk = Desk(pool, "kaltara")
    request_id = await desk.submit(FRIDAY_0900)
    await desk.act(request_id, "dispose", "kadis", Role.HEAD_OF_DEPARTMENT, FRIDAY_0900, note="Teruskan")
    return desk, request_id


async def test_two_approvals_in_overlapping_transactions_exactly_one_is_recorded(approval_pool):
    desk, request_id = await at_kabid(approval_pool)
    first, second = await approval_pool.acquire(), await approval_pool.acquire()
    first_tx, second_tx = first.transaction(), second.transaction()
    await first_tx.start()
    await second_tx.start()
    try:
        await handlers.act(
            first,
            desk.profile,
            request_id,
            "approve",
            by="kabid-a",
            role=Role.HEAD_OF_DIVISION,
            now=FRIDAY_0905,
            correlation_id="a",
        )
        # The second official read the request before the first committed, then tries to append.
        racing = asyncio.create_task(
            handlers.act(
                second,
                desk.profile,
                request_id,
                "approve",
                by="kabid-b",
                role=Role.HEAD_OF_DIVISION,
                now=FRIDAY_0905,
                correlation_id="b",
            )
        )
        await asyncio.sleep(0.3)
        assert not racing.done()  # waiting for the first transaction's lock
        await first_tx.commit()
        with pytest.raises(ConcurrencyError):
            await racing
    finally:
        await second_tx.rollback()
        await approval_pool.release(first)
        await approval_pool.release(second)

    events = await desk.events(request_id)
    assert [(e.name, e.by) for e in events] == [("request.disposed", "kadis"), ("request.approved", "kabid-a")]
    row = await approval_pool.fetchrow("select status, version from cases where request_id = $1", request_id)
    assert (row["status"], row["version"]) == ("closed", 2)


OFFICIALS = {
    "kabid-a": "head_of_division",
    "kabid-b": "head_of_division",
    "kabid-aptika": "head_of_division",
    "kadis": "head_of_department",
    "plt-kabid": "verifier",
}


@pytest.fixture(scope="session")
async def tokens(identity_issuer) -> dict[str, dict]:
    """Real bearer tokens from the local OIDC provider, one per official of these tests."""
    return {
        user: bearer(await token_for(identity_issuer, user, {"kaltara": [role]})) for user, role in OFFICIALS.items()
    }


@pytest.fixture
async def api(approval_pool, identity_issuer):
    app = service_app(SPEC, Settings(oidc_issuer=identity_issuer))
    app.state.runtime.pool = approval_pool
    app.state.runtime.extras["clock"] = lambda: FRIDAY_0905
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://approval") as http:
        yield http


async def test_two_approvals_over_http_one_wins_the_other_gets_a_message_and_a_fresh_view(approval_pool, api, tokens):
    desk, request_id = await at_kabid(approval_pool)
    url = f"/api/kaltara/requests/{request_id}/approve"
    seen = (
        await api.get(
            f"/api/kaltara/requests/{request_id}", params={"role": "head_of_division"}, headers=tokens["kabid-a"]
        )
    ).json()
    assert [a["name"] for a in seen["actions"]] == ["approve", "reject", "reassign"]

    responses = await asyncio.gather(
        *[
            api.post(url, json={"role": "head_of_division", "version": seen["version"]}, headers=tokens[by])
            for by in ("kabid-a", "kabid-b")
        ]
    )

    assert sorted(r.status_code for r in responses) == [200, 409]
    refused = next(r for r in responses if r.status_code == 409).json()
    assert "petugas lain" in refused["message"]
    assert refused["request"]["outcome"] == "approved" and refused["request"]["actions"] == []
    approvals = [e for e in await desk.events(request_id) if e.name == "request.approved"]
    assert len(approvals) == 1


async def test_acting_official_plt_acts_on_a_request_addressed_to_the_official_away(approval_pool, api, tokens):
    desk = Desk(approval_pool, "kaltara")
    request_id = await desk.submit(FRIDAY_0900)
    await desk.act(request_id, "dispose", "kadis", Role.HEAD_OF_DEPARTMENT, FRIDAY_0900, addressee="kabid-aptika")
    body = {
        "role": "head_of_department",
        "acting": "plt-kabid",
        "official": "kabid-aptika",
        "official_role": "head_of_division",
        "starts_at": "2026-11-27T08:00:00+08:00",
        "ends_at": "2026-12-04T16:30:00+08:00",
    }
    url = f"/api/kaltara/requests/{request_id}/approve"
    refused = await api.post(url, json={"role": "head_of_division"}, headers=tokens["plt-kabid"])
    assert refused.status_code == 403 and "tidak memegang peran 'head_of_division'" in refused.json()["message"]
    other_kabid = await api.post(url, json={"role": "head_of_division"}, headers=tokens["kabid-a"])
    assert other_kabid.status_code == 403 and "ditujukan kepada kabid-aptika" in other_kabid.json()["message"]

    assert (await api.post("/api/kaltara/acting", json=body, headers=tokens["kadis"])).status_code == 201
    inbox = (
        await api.get(
            "/api/kaltara/inbox", params={"role": "head_of_division", "by": "plt-kabid"}, headers=tokens["plt-kabid"]
        )
    ).json()
    assert [item["request_id"] for item in inbox] == [request_id]
    assert (await api.post(url, json={"role": "head_of_division"}, headers=tokens["plt-kabid"])).status_code == 200
    approved = (await desk.events(request_id))[-1]
    assert (approved.by, approved.on_behalf_of) == ("plt-kabid", "kabid-aptika")


async def test_reassigned_request_moves_to_the_new_officials_inbox(approval_pool, api, tokens):
    desk = Desk(approval_pool, "kaltara")
    request_id = await desk.submit(FRIDAY_0900)
    await desk.act(request_id, "dispose", "kadis", Role.HEAD_OF_DEPARTMENT, FRIDAY_0900, addressee="kabid-a")
    moved = await api.post(
        f"/api/kaltara/requests/{request_id}/reassign",
        json={"role": "head_of_department", "to": "kabid-b", "reason": "Kabid A dinas luar"},
        headers=tokens["kadis"],
    )
    assert moved.status_code == 200, moved.text

    def inbox_of(user):
        return api.get("/api/kaltara/inbox", params={"role": "head_of_division", "by": user}, headers=tokens[user])

    assert (await inbox_of("kabid-a")).json() == []
    [item] = (await inbox_of("kabid-b")).json()
    assert item["due_at"] == "2026-11-27T10:00:00+08:00"  # reassigning does not restart the clock
    reassigned = (await desk.events(request_id))[-1]
    assert (reassigned.name, reassigned.from_user, reassigned.to_user, reassigned.by) == (
        "request.reassigned",
        "kabid-a",
        "kabid-b",
        "kadis",
    )
