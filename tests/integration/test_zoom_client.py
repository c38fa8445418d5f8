"""The real Zoom client against the fake Zoom API: tokens, 429s, daily caps, timeouts."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import httpx
import pytest

from fakes.zoom_inprocess import fake_zoom
from provisioning.adapters.providers import DailyCapReached, MeetingSpec
from provisioning.adapters.zoom import ZoomClient

STARTS = datetime(2026, 12, 3, 1, 0, tzinfo=timezone.utc)


def spec(request_id: str = "6f1c0c52-0000-4000-8000-000000000001") -> MeetingSpec:
    return MeetingSpec(
        request_id,
        "Rapat Koordinasi RKPD",
        "Pembahasan",
        STARTS,
        STARTS + timedelta(hours=2),
        "Asia/Makassar",
        record=False,
        alternative_hosts=["operator@example.go.id"],
    )


@pytest.fixture
async def zoom():
    async with fake_zoom(token_seconds=3600) as (url, app):
        yield url, app.state.fake


def client(url: str, **options) -> ZoomClient:
    naps: list[float] = []

    async def nap(seconds: float) -> None:
        naps.append(seconds)

    made = ZoomClient(url, "vidcon-dev", "vidcon-dev", "vidcon-dev-secret", **{"sleep": nap, **options})
    made.naps = naps
    return made


async def test_one_token_serves_many_calls_until_it_nears_expiry(zoom):
    url, fake = zoom
    now = [1000.0]
    zoom_client = client(url, clock=lambda: now[0])

    await zoom_client.ensure_meeting("pro-1@example.go.id", spec("a"), [])
    await zoom_client.ensure_meeting("pro-1@example.go.id", spec("b"), [])
    assert fake.tokens_issued == 1

    now[0] += 3600 - 59  # within the last minute of the token's hour
    await zoom_client.ensure_meeting("pro-1@example.go.id", spec("c"), [])
    assert fake.tokens_issued == 2 and len(fake.meetings) == 3
    await zoom_client.close()


async def test_a_token_zoom_no_longer_accepts_is_renewed(zoom):
    url, fake = zoom
    zoom_client = client(url)
    await zoom_client.ensure_meeting("pro-1@example.go.id", spec("a"), [])
    fake.tokens.clear()

    created = await zoom_client.ensure_meeting("pro-1@example.go.id", spec("b"), [])

    assert created.join_url.startswith("https://zoom.example.test/j/") and fake.tokens_issued == 2
    await zoom_client.close()


async def test_429_is_retried_with_growing_jittered_waits(zoom):
    url, fake = zoom
    zoom_client = client(url, backoff_base=0.5)
    fake.throttle = 3

    created = await zoom_client.ensure_meeting("pro-1@example.go.id", spec(), [])

    assert created.meeting_id and len(fake.meetings) == 1
    assert len(zoom_client.naps) == 3
    assert [0 <= nap <= 0.5 * 2**i for i, nap in enumerate(zoom_client.naps)] == [True] * 3
    await zoom_client.close()


async def test_a_host_at_its_daily_cap_is_reported_and_other_hosts_still_create(zoom):
    url, fake = zoom
    fake.caps["pro-1@example.go.id"] = 2
    zoom_client = client(url)
    await zoom_client.ensure_meeting("pro-1@example.go.id", spec("a"), [])
    await zoom_client.ensure_meeting("pro-1@example.go.id", spec("b"), [])

    with pytest.raises(DailyCapReached) as capped:
        await zoom_client.ensure_meeting("pro-1@example.go.id", spec("c"), [])

    assert capped.value.host == "pro-1@example.go.id"
    moved = await zoom_client.ensure_meeting("pro-2@example.go.id", spec("c"), ["pro-1@example.go.id"])
    assert fake.meetings[int(moved.meeting_id)]["host_email"] == "pro-2@example.go.id"
    await zoom_client.close()


async def test_a_create_retried_after_a_timeout_makes_one_meeting(zoom):
    url, fake = zoom
    fake.slow_creates, fake.slow_seconds = 1, 1.5
    zoom_client = client(url, timeout=0.5)

    created = await zoom_client.ensure_meeting("pro-1@example.go.id", spec(), [])

    assert len(fake.meetings) == 1
    only = next(iter(fake.meetings.values()))
    assert created.meeting_id == str(only["id"]) and created.passcode == only["password"]
    await zoom_client.close()


async def test_the_meeting_has_waiting_room_passcode_and_no_recording_unless_asked(zoom):
    url, fake = zoom
    zoom_client = client(url)

    plain = await zoom_client.ensure_meeting("pro-1@example.go.id", spec("a"), [])
    recorded = await zoom_client.ensure_meeting(
        "pro-1@example.go.id",
        MeetingSpec("b", "Rapat", "", STARTS, STARTS + timedelta(hours=1), "Asia/Jakarta", record=True),
        [],
    )

    settings = fake.meetings[int(plain.meeting_id)]["settings"]
    assert settings["waiting_room"] is True and settings["auto_recording"] == "none" and plain.passcode
    assert settings["alternative_hosts"] == "operator@example.go.id"
    assert fake.meetings[int(recorded.meeting_id)]["settings"]["auto_recording"] == "cloud"
    await zoom_client.close()


async def test_moving_and_deleting_a_meeting(zoom):
    url, fake = zoom
    zoom_client = client(url)
    created = await zoom_client.ensure_meeting("pro-1@example.go.id", spec(), [])
    later = spec()
    later = MeetingSpec(
        later.request_id,
        later.topic,
        later.agenda,
        STARTS + timedelta(days=1),
        STARTS + timedelta(days=1, hours=3),
        later.time_zone,
    )

    await zoom_client.update_meeting(created.meeting_id, later)
    assert fake.meetings[int(created.meeting_id)]["start_time"] == "2026-12-04T01:00:00Z"
    assert fake.meetings[int(created.meeting_id)]["duration"] == 180

    await zoom_client.delete_meeting(created.meeting_id)
    await zoom_client.delete_meeting(created.meeting_id)  # already gone: nothing to do
    assert fake.meetings == {}
    await zoom_client.close()


async def test_token_and_api_addresses_are_separate_settings(zoom):
    url, _ = zoom
    zoom_client = ZoomClient("https://api.zoom.example", "a", "b", "c", oauth_url=url)
    assert zoom_client.api_url == "https://api.zoom.example/v2" and zoom_client.oauth_url == url
    with pytest.raises(httpx.HTTPError):
        await zoom_client._access_token()  # the fake refuses these credentials
    await zoom_client.close()
