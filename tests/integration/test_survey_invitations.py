"""One survey per held meeting, none for meetings reported long ago (a first start over history)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from complaints.bootstrap import SPEC
from complaints.service_layer.surveys import invite_after_meeting
from shared.db import create_pool, migrate
from shared.events import decode, envelope_for
from shared.events.contracts import MeetingHeld
from shared.messaging import Delivery

NOW = datetime(2026, 12, 1, 3, tzinfo=timezone.utc)


def held(request_id: str, reported: datetime) -> Delivery:
    event = MeetingHeld(
        request_id=request_id,
        meeting_id="m1",
        started_at=reported - timedelta(hours=2),
        ended_at=reported,
        attendance=10,
    )
    envelope = envelope_for(
        event, tenant="kaltara", subject=f"meeting-{request_id}", stream_version=1, correlation_id="c"
    ).model_copy(update={"time": reported})
    return Delivery(envelope, decode(envelope), 1, ("/vidcon/provisioning", 1))


async def test_a_held_meeting_gets_one_survey_and_an_old_one_none(database_url, schema):
    migrate(database_url, schema, *SPEC.migration_dirs)
    pool = await create_pool(database_url, schema)
    try:
        async with pool.acquire() as conn:
            for _ in range(2):  # redelivered, or the report corrected
                async with conn.transaction():
                    await invite_after_meeting(conn, held("recent", NOW - timedelta(hours=1)), NOW)
            async with conn.transaction():
                await invite_after_meeting(conn, held("old", NOW - timedelta(days=30)), NOW)
            surveys = await conn.fetch("select request_id, token from surveys")
            invited = await conn.fetchval("select count(*) from events where type like '%survey.invited%'")
    finally:
        await pool.close()
    assert [row["request_id"] for row in surveys] == ["recent"] and len(surveys[0]["token"]) >= 24
    assert invited == 1
