"""Live streaming to the department's channel (Purbalingga: "video streaming pada YouTube")."""

from __future__ import annotations

from dataclasses import dataclass, field

LIVE_STREAMING = "live_streaming"
NOT_CONFIGURED = (
    "belum ada pengaturan live streaming (alamat RTMP, kunci stream dan halaman tayang)"
    " untuk instansi ini; atur di pengaturan penyediaan"
)


@dataclass(frozen=True)
class LiveStream:
    """Where the provider pushes the meeting: RTMP ingest and key; where the public watches it."""

    stream_url: str
    stream_key: str = field(repr=False)  # a secret: never in events, logs or answers
    page_url: str


def asked_for_streaming(special_needs: list[str]) -> bool:
    return LIVE_STREAMING in special_needs


def alternative_hosts(zoom_emails: list[str | None]) -> list[str]:
    """The operators' Zoom sign-ins, in order, once each; an operator without one is skipped."""
    return list(dict.fromkeys(email.strip().lower() for email in zoom_emails if email and email.strip()))
