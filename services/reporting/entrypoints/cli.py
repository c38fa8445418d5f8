"""`python -m reporting replay <projection>`: rebuild a projection from all of history."""
from __future__ import annotations

import asyncio

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from reporting.adapters.projections import projections
from shared.config import Settings
from shared.db import create_pool
from shared.messaging import connect_nats
from shared.projections import rebuild
from shared.tenants import load_tenants

app = typer.Typer(help="Vidcon reporting service")


@app.callback(invoke_without_command=True)
def main(context: typer.Context) -> None:
    """Without a command: run the reporting service (HTTP, live projections, outbox relay)."""
    if context.invoked_subcommand is None:
        serve()


@app.command()
def serve() -> None:
    """Run the reporting service (HTTP, live projections, outbox relay)."""
    from shared.serve import serve as run

    run("reporting.bootstrap:create_app")


@app.command()
def replay(projection: str = typer.Argument(..., help="Name of the projection, e.g. usage")) -> None:
    """Rebuild PROJECTION from the start of history beside the live one, then swap."""
    settings = Settings()
    known = projections(load_tenants(settings.vidcon_tenants_dir))
    if projection not in known:
        raise typer.BadParameter(f"unknown projection {projection!r}; known: {', '.join(known)}")
    replayed = asyncio.run(_replay(settings, known[projection]))
    typer.echo(f"{projection}: {replayed.read} events read, {replayed.skipped} unreadable skipped;"
               " the new copy is live")


async def _replay(settings: Settings, projection):
    pool = await create_pool(settings.database_url, "reporting")
    nc = await connect_nats(settings.nats_url, name="reporting-replay", settings=settings)
    columns = (TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]}"), TimeRemainingColumn())
    try:
        with Progress(*columns) as bar:
            task = bar.add_task(f"replay {projection.name}", total=None, rate="")

            def progress(done: int, of: int) -> None:
                elapsed = bar.tasks[0].elapsed or 1e-9
                bar.update(task, completed=done, total=of, rate=f"{done / elapsed:,.0f} events/s")

            return await rebuild(pool, nc.jetstream(), projection, progress)
    finally:
        await nc.close()
        await pool.close()
