"""The CLI's NATS connection: the environment's settings (NATS_URL, NATS_USER/NATS_PASSWORD or
NATS_CREDS), one attempt, and a one-line reason when the servers cannot be reached."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Coroutine
from typing import Any, TypeVar

import typer
from nats.js import JetStreamContext

T = TypeVar("T")


@contextlib.asynccontextmanager
async def jetstream(user: str | None = None, password: str | None = None) -> AsyncIterator[JetStreamContext]:
    """JetStream on a connection of its own; `user`/`password` override the environment's."""
    import nats

    from shared.config import Settings
    from shared.messaging.connect import credential_options, nats_servers

    settings = Settings()
    if user:
        settings = settings.model_copy(update={"nats_user": user, "nats_password": password, "nats_creds": None})
    # nats-py's first connect retries like a reconnect: its default (60 tries, 2 s apart) kept an operator
    # waiting two minutes to hear that NATS_URL was wrong
    nc = await nats.connect(
        nats_servers(settings.nats_url),
        name="vidcon-cli",
        connect_timeout=5,
        allow_reconnect=False,
        max_reconnect_attempts=1,
        error_cb=_say,
        **credential_options(settings),
    )
    try:
        yield nc.jetstream()
    finally:
        await nc.close()


async def _say(error: Exception) -> None:
    """A refused permission, say; not being able to connect is said once, by `with_nats`."""
    import nats.errors

    if not isinstance(error, (OSError, nats.errors.NoServersError)):
        typer.echo(f"NATS: {error}", err=True)


def with_nats(work: Coroutine[Any, Any, T]) -> T:
    """Run `work`, or say why NATS could not be reached (exit code 3)."""
    import nats.errors

    try:
        return asyncio.run(work)
    except (OSError, TimeoutError, nats.errors.NoServersError) as unreachable:
        typer.echo(f"NATS ({nats_url()}): {unreachable!r}", err=True)
        raise typer.Exit(3) from None


def nats_url() -> str:
    from shared.config import Settings

    return Settings().nats_url


def fail(message: str, code: int = 2) -> typer.Exit:
    """Say `message` on stderr; the caller raises what this returns."""
    typer.echo(message, err=True)
    return typer.Exit(code)
