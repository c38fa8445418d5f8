"""What the fake Zoom remembers: tokens, meetings, recordings, live streams, per-host daily writes,
test switches."""

from __future__ import annotations

import asyncio
import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone

from fastapi import HTTPException


@dataclass
class FakeState:
    webhook_secret: str
    daily_cap: int
    token_seconds: int
    tokens: dict[str, float] = field(default_factory=dict)
    meetings: dict[int, dict] = field(default_factory=dict)
    recordings: dict[int, str] = field(default_factory=dict)
    live_streams: dict[int, dict] = field(default_factory=dict)
    writes: Counter = field(default_factory=Counter)
    caps: dict[str, int] = field(default_factory=dict)
    latency: dict[str, float] = field(default_factory=dict)
    """Seconds each answer about a host's meetings waits, per host (a slow tenant)."""
    throttle: int = 0
    slow_creates: int = 0
    slow_seconds: float = 0.0
    tokens_issued: int = 0
    calls: int = 0

    def cap_of(self, host: str) -> int:
        return self.caps.get(host, self.daily_cap)

    async def answer_late(self, host: str) -> None:
        if self.latency.get(host):
            await asyncio.sleep(self.latency[host])

    def meeting(self, meeting_id: int) -> dict:
        if meeting_id not in self.meetings:
            raise HTTPException(404, {"code": 3001, "message": "Meeting does not exist."})
        return self.meetings[meeting_id]

    def new_meeting(self, meeting_id: int, host: str, body: dict) -> dict:
        return {
            "id": meeting_id,
            "uuid": secrets.token_urlsafe(16),
            "host_id": host,
            "host_email": host,
            "topic": body.get("topic", ""),
            "type": body.get("type", 2),
            "start_time": body.get("start_time"),
            "duration": body.get("duration", 60),
            "timezone": body.get("timezone", "UTC"),
            "agenda": body.get("agenda", ""),
            "password": body.get("password") or secrets.token_hex(3),
            "settings": body.get("settings", {}),
            "join_url": f"https://zoom.example.test/j/{meeting_id}",
            "created_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }

    def event_details(self, event: str, meeting: dict) -> dict:
        now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        if event == "meeting.started":
            return {"start_time": now}
        if event == "meeting.ended":
            return {"start_time": meeting["start_time"], "end_time": now}
        share = f"https://zoom.example.test/rec/share/{meeting['id']}"
        self.recordings[meeting["id"]] = share
        return {
            "share_url": share,
            "recording_files": [{"recording_type": "shared_screen_with_speaker_view", "recording_end": now}],
        }
