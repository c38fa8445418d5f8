"""Zoom's REST API with a Server-to-Server OAuth app (account credentials grant).

Real Zoom: tokens from https://zoom.us/oauth/token, the API at https://api.zoom.us/v2.
"""

from __future__ import annotations

import asyncio
import random
import time
from datetime import timezone

import httpx
import structlog

from provisioning.adapters.providers import DailyCapReached, MeetingSpec, ProvidedMeeting, ProviderRefused
from provisioning.domain.streaming import LiveStream

log = structlog.get_logger()


class ZoomClient:
    name = "zoom"

    def __init__(
        self,
        api_url: str,
        account_id: str,
        client_id: str,
        client_secret: str,
        oauth_url: str | None = None,
        timeout: float = 15.0,
        retries: int = 6,
        backoff_base: float = 0.5,
        sleep=asyncio.sleep,
        clock=time.monotonic,
    ):
        self.http = httpx.AsyncClient(timeout=timeout)
        self.api_url, self.oauth_url = api_url.rstrip("/") + "/v2", (oauth_url or api_url).rstrip("/")
        self.account_id, self.credentials = account_id, (client_id, client_secret)
        self.retries, self.backoff_base, self.sleep, self.clock = retries, backoff_base, sleep, clock
        self._token: tuple[str, float] | None = None
        self.tokens_fetched = 0

    async def _access_token(self) -> str:
        """Reused until a minute before it expires (Zoom tokens live an hour)."""
        if self._token and self._token[1] > self.clock() + 60:
            return self._token[0]
        response = await self.http.post(
            f"{self.oauth_url}/oauth/token",
            auth=self.credentials,
            params={"grant_type": "account_credentials", "account_id": self.account_id},
        )
        response.raise_for_status()
        body = response.json()
        self._token, self.tokens_fetched = (
            (body["access_token"], self.clock() + body["expires_in"]),
            self.tokens_fetched + 1,
        )
        return self._token[0]

    async def _call(self, method: str, path: str, host: str = "", **kwargs) -> httpx.Response:
        """One API call; 429 waits with full jitter (Zoom sends no Retry-After), a daily cap raises."""
        for attempt in range(self.retries):
            headers = {"Authorization": f"Bearer {await self._access_token()}"}
            response = await self.http.request(method, f"{self.api_url}{path}", headers=headers, **kwargs)
            if response.status_code == 401:
                self._token = None
            elif response.status_code == 429:
                if "daily" in response.text.lower():
                    raise DailyCapReached(host)
                await self.sleep(random.uniform(0, self.backoff_base * 2**attempt))
            else:
                return response
            log.info("zoom.retry", path=path, status=response.status_code, attempt=attempt + 1)
        response.raise_for_status()
        return response

    async def ensure_meeting(self, host: str, spec: MeetingSpec, search_hosts: list[str]) -> ProvidedMeeting:
        """Look for the request's marker first, so a create retried after a timeout makes no twin."""
        for attempt in range(3):
            if found := await self.find(spec.marker, [host, *[h for h in search_hosts if h != host]]):
                return found
            try:
                return await self._create(host, spec)
            except httpx.TimeoutException:
                log.warning("zoom.create_timed_out", host=host, attempt=attempt + 1)
        raise TimeoutError(f"Zoom did not answer a create for {spec.request_id}")

    async def find(self, marker: str, hosts: list[str]) -> ProvidedMeeting | None:
        for host in hosts:
            response = await self._call(
                "GET", f"/users/{host}/meetings", host, params={"type": "upcoming", "page_size": 300}
            )
            if response.status_code == 404:
                continue
            response.raise_for_status()
            for item in response.json().get("meetings", []):
                if marker in (item.get("agenda") or ""):
                    return await self._provided(str(item["id"]), host)
        return None

    async def _provided(self, meeting_id: str, host: str) -> ProvidedMeeting:
        response = await self._call("GET", f"/meetings/{meeting_id}", host)
        response.raise_for_status()
        body = response.json()
        return ProvidedMeeting(str(body["id"]), body["join_url"], body.get("password", ""), host)

    async def _create(self, host: str, spec: MeetingSpec) -> ProvidedMeeting:
        response = await self._call("POST", f"/users/{host}/meetings", host, json=self._body(spec))
        response.raise_for_status()
        body = response.json()
        return ProvidedMeeting(str(body["id"]), body["join_url"], body["password"], host)

    def _body(self, spec: MeetingSpec) -> dict:
        """Alternative hosts only when given: a move must not clear those the crew set."""
        settings = {
            "waiting_room": True,
            "join_before_host": False,
            "auto_recording": "cloud" if spec.record else "none",
        }
        if spec.alternative_hosts:
            settings["alternative_hosts"] = ";".join(spec.alternative_hosts)
        return {
            "topic": spec.topic[:200],
            "agenda": f"{spec.marker} {spec.agenda}"[:2000],
            "type": 2,
            "start_time": spec.starts_at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "timezone": spec.time_zone,
            "duration": spec.minutes,
            "default_password": True,
            "settings": settings,
        }

    async def update_meeting(self, meeting_id: str, spec: MeetingSpec) -> None:
        body = {key: value for key, value in self._body(spec).items() if key != "default_password"}
        response = await self._call("PATCH", f"/meetings/{meeting_id}", json=body)
        response.raise_for_status()

    async def set_live_stream(self, meeting_id: str, stream: LiveStream) -> None:
        """Custom live streaming: Zoom pushes the meeting to the RTMP ingest when the host starts it."""
        body = {"stream_url": stream.stream_url, "stream_key": stream.stream_key, "page_url": stream.page_url}
        await self._patch(f"/meetings/{meeting_id}/livestream", body)

    async def live_stream(self, meeting_id: str) -> dict:
        response = await self._call("GET", f"/meetings/{meeting_id}/livestream")
        response.raise_for_status()
        return response.json()

    async def set_alternative_hosts(self, meeting_id: str, emails: list[str]) -> None:
        await self._patch(f"/meetings/{meeting_id}", {"settings": {"alternative_hosts": ";".join(emails)}})

    async def _patch(self, path: str, body: dict) -> None:
        response = await self._call("PATCH", path, json=body)
        if 400 <= response.status_code < 500:
            raise ProviderRefused(f"Zoom menolak ({response.status_code}): {_message(response)}")
        response.raise_for_status()

    async def delete_meeting(self, meeting_id: str) -> None:
        response = await self._call("DELETE", f"/meetings/{meeting_id}")
        if response.status_code != 404:
            response.raise_for_status()

    async def delete_recordings(self, meeting_id: str) -> None:
        response = await self._call("DELETE", f"/meetings/{meeting_id}/recordings", params={"action": "delete"})
        if response.status_code != 404:
            response.raise_for_status()

    async def close(self) -> None:
        await self.http.aclose()


def _message(response: httpx.Response) -> str:
    try:
        return str(response.json().get("message", response.text))[:300]
    except ValueError:
        return response.text[:300]
