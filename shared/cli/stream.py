"""`vidcon stream rebuild-from-outboxes|relay`: the event stream VIDCON and the outboxes behind it."""

from __future__ import annotations

import asyncio

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from shared.config import SERVICES

app = typer.Typer(
    help="The event stream VIDCON and the services' outboxes (DATABASE_URL, NATS_URL).", no_args_is_help=True
)

SCHEMAS = typer.Argument(
    None, help="The services whose outboxes to republish (default: every service).", show_default=False
)


@app.command("rebuild-from-outboxes")
def rebuild_from_outboxes(schemas: list[str] = SCHEMAS) -> None:
    """Republish every outbox's events into a lost (empty) VIDCON stream.

    Each relay's position is then set after its events. Stop the services first: a running relay,
    or a stream that holds messages, is refused (exit code 1).
    """
    from shared.logging import configure_logging
    from shared.messaging.outbox_rebuild import StreamRebuildRefused

    configure_logging("outbox-rebuild")
    try:
        count = asyncio.run(_rebuild(schemas or list(SERVICES)))
    except StreamRebuildRefused as error:
        typer.echo(f"stream rebuild refused: {error}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"VIDCON: {count} events republished from the outboxes")


async def _rebuild(schemas: list[str]) -> int:
    from shared.config import Settings
    from shared.messaging.connect import connect_nats
    from shared.messaging.outbox_rebuild import rebuild_stream_from_outboxes

    settings = Settings()
    nc = await connect_nats(settings.nats_url, name="outbox-rebuild", settings=settings)
    try:
        with Progress(TextColumn("[bold]republish"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn()) as bar:
            task = bar.add_task("republish", total=None)
            return await rebuild_stream_from_outboxes(
                settings.database_url,
                nc.jetstream(),
                schemas,
                lambda done, of: bar.update(task, completed=done, total=of),
            )
    finally:
        await nc.close()


@app.command("relay")
def relay(schema: str = typer.Argument(..., help="The service (schema) whose outbox to relay, e.g. intake.")) -> None:
    """Relay one service's outbox to VIDCON from a process of its own, until stopped."""
    from shared.logging import configure_logging
    from shared.messaging.relay import run_relay

    configure_logging("relay")
    asyncio.run(run_relay(schema))
