from __future__ import annotations

from typing import TYPE_CHECKING, Any
from pathlib import Path

import nats
from faststream.security import SASLPlaintext
from nats.aio.client import Client

if TYPE_CHECKING:
    from shared.config import Settings


def nats_servers(url: str) -> str | list[str]:
    """NATS_URL as nats-py and FastStream take it: one address, or several comma-separated
    (the nodes of a cluster; the client moves to another when its node goes away)."""
    servers = [server.strip() for server in url.split(",") if server.strip()]
    return servers[0] if len(servers) == 1 else servers


async def connect_nats(url: str, *, name: str, settings: Settings | None = None) -> Client:
    """A connection that keeps reconnecting: a restarted nats-server must not stop a service."""
    return await nats.connect(
        nats_servers(url), name=name, max_reconnect_attempts=-1, reconnect_time_wait=0.5, **credential_options(settings)
    )


def credential_options(settings: Settings | None) -> dict[str, Any]:
    """The service's own NATS identity: a JWT `.creds` file (operator mode), a bare NKey seed
    file (`user.nk`, production), or a user and password (the embedded server)."""
    if settings is None:
        return {}
    if settings.nats_creds:
        if "BEGIN NATS USER JWT" in Path(settings.nats_creds).read_text():
            return {"user_credentials": settings.nats_creds}
        return {"nkeys_seed": settings.nats_creds}
    if settings.nats_user:
        return {"user": settings.nats_user, "password": settings.nats_password}
    return {}


def broker_credentials(settings: Settings | None) -> dict[str, Any]:
    """The same identity in the form FastStream's NatsBroker takes."""
    options = credential_options(settings)
    if "user" in options:
        return {"security": SASLPlaintext(username=options["user"], password=options["password"])}
    return options
