"""One interface for every meeting provider (Zoom, Jitsi): create once, move, delete."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

import httpx

from provisioning.domain.streaming import LiveStream


@dataclass(frozen=True)
class MeetingSpec:
    """What the provider needs to know; `request_id` marks the meeting so a retry can find it."""

    request_id: str
    topic: str
    agenda: str
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    record: bool = False
    alternative_hosts: list[str] = field(default_factory=list)

    @property
    def marker(self) -> str:
        return f"[vidcon:{self.request_id}]"

    @property
    def minutes(self) -> int:
        return max(1, int((self.ends_at - self.starts_at).total_seconds() // 60))


@dataclass(frozen=True)
class ProvidedMeeting:
    meeting_id: str
    join_url: str
    passcode: str
    host: str


class DailyCapReached(Exception):
    """The host reached the provider's daily create/update cap; another host may still create."""

    def __init__(self, host: str):
        self.host = host
        super().__init__(f"daily create/update cap reached for {host}")


class ProviderRefused(Exception):
    """The provider answered that it will not do this (a 4xx): retrying would not help."""


def refused_for_good(error: BaseException) -> bool:
    """A refusal that asking again will not change: `ProviderRefused`, or a 4xx other than 401
    (token), 408 (timeout) and 429 (rate). Timeouts, 5xx and network errors are passing."""
    if isinstance(error, ProviderRefused):
        return True
    if isinstance(error, httpx.HTTPStatusError):
        status = error.response.status_code
        return 400 <= status < 500 and status not in (401, 408, 429)
    return False


class MeetingProvider(Protocol):
    name: str

    async def ensure_meeting(self, host: str, spec: MeetingSpec, search_hosts: list[str]) -> ProvidedMeeting:
        """The meeting marked with `spec.request_id`, found on any of `search_hosts`, else created on `host`."""

    async def update_meeting(self, meeting_id: str, spec: MeetingSpec) -> None: ...

    async def delete_meeting(self, meeting_id: str) -> None: ...

    async def delete_recordings(self, meeting_id: str) -> None: ...

    async def set_live_stream(self, meeting_id: str, stream: LiveStream) -> None:
        """Push the meeting to `stream`; `ProviderRefused` when the provider will not."""

    async def set_alternative_hosts(self, meeting_id: str, emails: list[str]) -> None:
        """Who may start the meeting besides the host; an empty list clears them."""
