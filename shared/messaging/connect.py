from __future__ import annotations

import nats
from nats.aio.client import Client


async def connect_nats(url: str, *, name: str, creds: str | None = None) -> Client:
    """A connection that keeps reconnecting: a restarted nats-server must not stop a service."""
    options = dict(name=name, max_reconnect_attempts=-1, reconnect_time_wait=0.5)
    if creds:
        options["user_credentials"] = creds
    return await nats.connect(url, **options)
