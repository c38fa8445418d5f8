"""Jitsi Meet rooms with signed JWT links (prosody `token` auth: iss = app id, aud = "jitsi")."""

from __future__ import annotations

import secrets
from urllib.parse import quote

from joserfc import jwt
from joserfc.jwk import OctKey

from provisioning.adapters.providers import MeetingSpec, ProvidedMeeting, ProviderRefused
from provisioning.domain.streaming import LiveStream


class JitsiRooms:
    """A room needs no API call: its name is derived from the request, so a retry gives the same room."""

    name = "jitsi"

    def __init__(self, base_url: str, app_id: str, app_secret: str, domain: str | None = None):
        self.base_url, self.app_id = base_url.rstrip("/"), app_id
        self.key = OctKey.import_key(app_secret)
        self.domain = domain or self.base_url.split("//", 1)[-1]

    def room_for(self, request_id: str) -> str:
        return f"vidcon-{request_id}"

    def token(self, room: str, spec: MeetingSpec, moderator: bool) -> str:
        claims = {
            "iss": self.app_id,
            "aud": "jitsi",
            "sub": self.domain,
            "room": room,
            "nbf": int(spec.starts_at.timestamp()) - 3600,
            "exp": int(spec.ends_at.timestamp()) + 3600,
            "context": {"user": {"moderator": moderator}},
        }
        return jwt.encode({"alg": "HS256", "typ": "JWT"}, claims, self.key)

    def link(self, spec: MeetingSpec, moderator: bool = False) -> str:
        room = self.room_for(spec.request_id)
        return f"{self.base_url}/{quote(room)}?jwt={self.token(room, spec, moderator)}"

    async def ensure_meeting(self, host: str, spec: MeetingSpec, search_hosts: list[str]) -> ProvidedMeeting:
        return ProvidedMeeting(self.room_for(spec.request_id), self.link(spec), secrets.token_hex(3), host)

    async def update_meeting(self, meeting_id: str, spec: MeetingSpec) -> None:
        """The room has no schedule; new links carry the new validity."""

    async def delete_meeting(self, meeting_id: str) -> None:
        """A Jitsi room exists only while people are in it."""

    async def delete_recordings(self, meeting_id: str) -> None:
        """Jitsi recordings (Jibri) are files of the department's own server, deleted there."""

    async def set_live_stream(self, meeting_id: str, stream: LiveStream) -> None:
        raise ProviderRefused(
            "Jitsi tidak mendukung pengaturan live streaming otomatis; operator memulai siaran dari ruang rapat"
        )

    async def set_alternative_hosts(self, meeting_id: str, emails: list[str]) -> None:
        """Moderators come with their links (the JWT's `moderator` claim), not from a list."""
