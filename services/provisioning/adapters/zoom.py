"""Zoom's REST API with a Server-to-Server OAuth app (account credentials grant)."""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timezone

import httpx


@dataclass(frozen=True)
class CreatedMeeting:
    meeting_id: str
    join_url: str
    passcode: str


class ZoomClient:
    def __init__(self, base_url: str, account_id: str, client_id: str, client_secret: str):
        self.http = httpx.AsyncClient(base_url=base_url, timeout=15.0)
        self.account_id, self.credentials = account_id, (client_id, client_secret)
        self._token: tuple[str, float] | None = None

    async def _access_token(self) -> str:
        """Reused until a minute before it expires (Zoom tokens live an hour)."""
        if self._token and self._token[1] > time.monotonic() + 60:
            return self._token[0]
        response = await self.http.post(
            "/oauth/token", params={"grant_type": "account_credentials", "account_id": self.account_id},
            auth=self.credentials,
        )
        response.raise_for_status()
        body = response.json()
        self._token = (body["access_token"], time.monotonic() + body["expires_in"])
        return self._token[0]

    async def create_meeting(self, host: str, topic: str, agenda: str, starts_at: datetime,
                             ends_at: datetime, time_zone: str, record: bool) -> CreatedMeeting:
        body = {
            "topic": topic[:200], "agenda": agenda[:2000], "type": 2,
            "start_time": starts_at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "timezone": time_zone,
            "duration": max(1, int((ends_at - starts_at).total_seconds() // 60)),
            "settings": {"waiting_room": True, "join_before_host": False,
                         "auto_recording": "cloud" if record else "none"},
        }
        response = await self.http.post(f"/v2/users/{host}/meetings", json=body,
                                         headers={"Authorization": f"Bearer {await self._access_token()}"})
        response.raise_for_status()
        meeting = response.json()
        return CreatedMeeting(str(meeting["id"]), meeting["join_url"], meeting["password"])

    async def close(self) -> None:
        await self.http.aclose()
