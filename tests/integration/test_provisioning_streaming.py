"""Live streaming when the requester asked, and the operators on duty as alternative hosts,
against the fake Zoom API and a real PostgreSQL; the settings through the resources API."""

from __future__ import annotations

import uuid
from contextlib import asynccontextmanager
from datetime import timedelta
from types import SimpleNamespace

import httpx
from fastapi import FastAPI

from provisioning.adapters import resources
from provisioning.domain.meeting import Meeting
from provisioning.entrypoints.api import router as meetings_router
from provisioning.entrypoints.resources_api import router as resources_router
from provisioning.service_layer.changes import reschedule
from provisioning.service_layer.context import SCHEMA
from provisioning.service_layer.execution import assign_crew, meeting_of
from provisioning.service_layer.outside_calls import make_due_calls
from shared.auth import Role
from shared.auth.access import current_user
from shared.auth.identity import User
from shared.events.contracts.provisioning import LiveStreamConfigured, LiveStreamUnavailable
from shared.eventstore import Causation
from shared.eventstore.aggregate import history, save
from shared.http import install_error_handlers
from tests.integration.test_provisioning_scheduling import STARTS, approve, setup  # noqa: F401  (fixture)

STREAM = {
    "stream_url": "rtmp://a.rtmp.youtube.com/live2",
    "stream_key": "abcd-efgh-ijkl-mnop",
    "stream_page_url": "https://www.youtube.com/@diskominfopurbalingga/live",
}


@asynccontextmanager
async def resources_api(pool, tenant: str, ctx):
    """The service's routers on a small app: a technical-team user, the test's pool and context."""
    app = FastAPI()
    install_error_handlers(app)
    app.include_router(resources_router)
    app.include_router(meetings_router)

    @asynccontextmanager
    async def transaction():
        async with pool.acquire() as conn, conn.transaction():
            yield conn

    app.state.runtime = SimpleNamespace(
        pool=pool, transaction=transaction, tenant=lambda t: t, extras={"provisioning": ctx}
    )
    app.dependency_overrides[current_user] = lambda: User("teknis-1", {tenant: frozenset({Role.TECHNICAL_TEAM})})
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://provisioning") as client:
        yield client


async def events_of(pool, tenant: str, request_id: str) -> list:
    async with pool.acquire() as conn:
        return await history(conn, Meeting, request_id, tenant)


async def test_streaming_is_set_on_zoom_and_the_event_has_the_watch_page_but_never_the_key(setup):
    pool, tenant, ctx, fake = setup
    async with resources_api(pool, tenant, ctx) as api:
        saved = await api.put(f"/api/{tenant}/resources/settings", json=STREAM)
        shown = await api.get(f"/api/{tenant}/resources/settings")
        kept = await api.put(
            f"/api/{tenant}/resources/settings",  # the key left out is kept
            json={k: v for k, v in STREAM.items() if k != "stream_key"} | {"setup_minutes": 15},
        )
    request_id = str(uuid.uuid4())

    meeting = await approve(pool, tenant, ctx, request_id, special_needs=["live_streaming"])

    assert saved.status_code == 200 and kept.status_code == 200
    for answer in (saved, shown, kept):
        assert STREAM["stream_key"] not in answer.text and answer.json()["stream_key_set"] is True
    assert shown.json()["stream_page_url"] == STREAM["stream_page_url"]
    assert fake.live_streams[int(meeting.meeting_id)] == {
        "stream_url": STREAM["stream_url"],
        "stream_key": STREAM["stream_key"],
        "page_url": STREAM["stream_page_url"],
    }
    configured = [e for e in await events_of(pool, tenant, request_id) if isinstance(e, LiveStreamConfigured)]
    assert [e.page_url for e in configured] == [STREAM["stream_page_url"]]
    assert STREAM["stream_key"] not in configured[0].model_dump_json()
    assert meeting.live_stream_page_url == STREAM["stream_page_url"]
    assert await ctx.providers["zoom"].live_stream(meeting.meeting_id) == fake.live_streams[int(meeting.meeting_id)]


async def test_streaming_asked_without_a_stream_configured_still_schedules_and_says_why(setup):
    pool, tenant, ctx, fake = setup
    request_id = str(uuid.uuid4())

    meeting = await approve(pool, tenant, ctx, request_id, special_needs=["live_streaming"])

    assert meeting.meeting_id and meeting.join_url and fake.live_streams == {}
    unavailable = [e for e in await events_of(pool, tenant, request_id) if isinstance(e, LiveStreamUnavailable)]
    assert len(unavailable) == 1 and unavailable[0].problem == "not_configured"
    assert "belum ada pengaturan live streaming" in unavailable[0].reason
    assert meeting.live_stream_problem == unavailable[0].reason


async def test_no_streaming_unless_asked_even_with_a_stream_configured(setup):
    pool, tenant, ctx, fake = setup
    async with pool.acquire() as conn:
        await resources.put_settings(conn, tenant, **STREAM)
    request_id = str(uuid.uuid4())

    meeting = await approve(pool, tenant, ctx, request_id)

    assert meeting.meeting_id and fake.live_streams == {}
    assert not [
        e
        for e in await events_of(pool, tenant, request_id)
        if isinstance(e, (LiveStreamConfigured, LiveStreamUnavailable))
    ]


async def test_a_stream_url_without_its_key_is_refused_in_indonesian(setup):
    pool, tenant, ctx, _ = setup
    async with resources_api(pool, tenant, ctx) as api:
        refused = await api.put(
            f"/api/{tenant}/resources/settings", json={k: v for k, v in STREAM.items() if k != "stream_key"}
        )
        shown = await api.get(f"/api/{tenant}/resources/settings")

    assert refused.status_code == 422 and "kunci stream" in refused.text
    assert shown.json()["stream_url"] is None and shown.json()["stream_key_set"] is False


async def test_assigning_the_crew_makes_the_operators_with_a_zoom_sign_in_alternative_hosts(setup):
    pool, tenant, ctx, fake = setup
    weekday = STARTS.isoweekday()
    async with resources_api(pool, tenant, ctx) as api:
        for user_id, email in (
            ("op-1", "Operator.Satu@diskominfo.example.go.id"),
            ("op-2", None),
            ("op-3", "operator.tiga@diskominfo.example.go.id"),
        ):
            answer = await api.put(
                f"/api/{tenant}/resources/operators/{user_id}", json={"working_days": [weekday], "zoom_email": email}
            )
            assert answer.status_code == 200
        request_id = str(uuid.uuid4())
        meeting = await approve(pool, tenant, ctx, request_id)
        crew = await api.put(f"/api/{tenant}/meetings/{request_id}/crew", json={"operators": ["op-1", "op-2", "op-3"]})
        await make_due_calls(pool, ctx)
        listed = await api.get(f"/api/{tenant}/resources/operators")

    assert crew.status_code == 200, crew.text
    settings = fake.meetings[int(meeting.meeting_id)]["settings"]
    assert settings["alternative_hosts"] == (
        "operator.satu@diskominfo.example.go.id;operator.tiga@diskominfo.example.go.id"
    )
    assert settings["waiting_room"] is True  # the PATCH kept the other settings
    assert [o["zoom_email"] for o in listed.json()] == [
        "Operator.Satu@diskominfo.example.go.id",
        None,
        "operator.tiga@diskominfo.example.go.id",
    ]


async def test_a_move_keeps_the_alternative_hosts_and_a_smaller_crew_narrows_them(setup):
    pool, tenant, ctx, fake = setup
    async with pool.acquire() as conn:
        for n in (1, 2):
            await resources.put_operator(
                conn, tenant, f"op-{n}", [STARTS.isoweekday()], zoom_email=f"op{n}@diskominfo.example.go.id"
            )
    request_id = str(uuid.uuid4())
    meeting = await approve(pool, tenant, ctx, request_id)
    async with pool.acquire() as conn, conn.transaction():
        await assign_crew(conn, ctx, tenant, request_id, ["op-1", "op-2"], None, None, "c-1")
    await make_due_calls(pool, ctx)
    moved = await _move(pool, tenant, ctx, request_id)
    settings = fake.meetings[int(meeting.meeting_id)]["settings"]
    assert moved and settings["alternative_hosts"] == "op1@diskominfo.example.go.id;op2@diskominfo.example.go.id"

    async with pool.acquire() as conn, conn.transaction():
        await assign_crew(conn, ctx, tenant, request_id, ["op-2"], None, None, "c-2")
    await make_due_calls(pool, ctx)

    assert fake.meetings[int(meeting.meeting_id)]["settings"]["alternative_hosts"] == "op2@diskominfo.example.go.id"


async def _move(pool, tenant: str, ctx, request_id: str) -> bool:
    """Half an hour later: same account, same Zoom meeting (updated, not made anew)."""
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute(
            "update requests set starts_at = starts_at + interval '30 minutes',"
            " ends_at = ends_at + interval '30 minutes' where request_id = $1",
            request_id,
        )
        request = await conn.fetchrow("select * from requests where request_id = $1", request_id)
        meeting = await meeting_of(conn, tenant, request_id)
        await reschedule(conn, ctx, meeting, request)
        await save(conn, SCHEMA, meeting, Causation("c-move"))
    await make_due_calls(pool, ctx)  # the move on Zoom, after the commit
    async with pool.acquire() as conn:
        return (await meeting_of(conn, tenant, request_id)).starts_at == STARTS + timedelta(minutes=30)
