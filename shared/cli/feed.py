"""`vidcon feed follow|repair`: the public feed for other agencies (docs/public-feed.md)."""

from __future__ import annotations

import asyncio
import signal
from typing import Optional

import typer

from shared.cli.connection import fail, jetstream, with_nats

app = typer.Typer(
    help="The public feed for other agencies (stream VIDCON_PUBLIC; docs/public-feed.md).", no_args_is_help=True
)


@app.command("follow")
def feed_follow(
    tenant: Optional[str] = typer.Option(
        None, "--tenant", help="The department whose events to follow (default: all)."
    ),
    name: Optional[str] = typer.Option(None, "--name", help="The durable consumer (default: NATS_USER)."),
) -> None:
    """Print a tenant's public events as they arrive, one JSON line each, as an agency would.

    From the beginning, with the agency's NATS_URL and NATS_USER/NATS_PASSWORD or NATS_CREDS.
    Ctrl-C stops; the next start goes on after the last event printed.
    """
    from shared.config import Settings
    from shared.messaging.public_feed import OtherFilter, follow

    durable = name or Settings().nats_user or "agency"

    async def run() -> int:
        stop = asyncio.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            asyncio.get_running_loop().add_signal_handler(sig, stop.set)
        async with jetstream() as js:
            return await follow(js, tenant, durable, lambda event: typer.echo(event.model_dump_json()), stop)

    try:
        shown = with_nats(run())
    except OtherFilter as refused:
        raise fail(str(refused)) from None
    typer.echo(f"{shown} events shown; stopped", err=True)


@app.command("repair")
def feed_repair(
    tenant: Optional[str] = typer.Option(None, "--tenant", help="Only this department."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Only say what is missing."),
    agencies_user: str = typer.Option(
        ..., "--agencies-user", envvar="AGENCIES_NATS_USER", help="A reader of VIDCON_PUBLIC in the agencies' account."
    ),
    agencies_password: str = typer.Option(
        ..., "--agencies-password", envvar="AGENCIES_NATS_PASSWORD", help="That reader's password."
    ),
) -> None:
    """Publish again the public events the agencies' stream lacks.

    Compared by event id against the department's log (NATS_URL with reporting's or an admin's
    credentials for the log).
    """
    from shared.messaging.public_feed import missing_copies, repair

    async def run() -> tuple[int, int]:
        async with jetstream() as internal, jetstream(agencies_user, agencies_password) as agencies:
            missing = await missing_copies(internal, agencies, tenant)
            for gap in missing:
                typer.echo(f"missing: {gap.envelope.id} {gap.envelope.type} {gap.subject}")
            return len(missing), 0 if dry_run else await repair(internal, missing)

    found, repaired = with_nats(run())
    typer.echo(f"{found} missing, {repaired} published again")
