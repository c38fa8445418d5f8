from __future__ import annotations

from pathlib import Path

import nats
from nats.aio.client import Client


async def connect_nats(url: str, *, name: str, creds: str | None = None) -> Client:
    """A connection that keeps reconnecting: a restarted nats-server must not stop a service."""
    return await nats.connect(url, name=name, max_reconnect_attempts=-1, reconnect_time_wait=0.5,
                              **credential_options(creds))


def credential_options(creds: str | None) -> dict:
    """A JWT `.creds` file (operator mode) or a bare NKey seed file (`user.nk`)."""
    if not creds:
        return {}
    if "BEGIN NATS USER JWT" in Path(creds).read_text():
        return {"user_credentials": creds}
    return {"nkeys_seed": creds}
