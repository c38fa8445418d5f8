"""`python -m reporting replay <projection>` or `replay --all`: rebuild projections from all of history."""
from __future__ import annotations

import asyncio

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from reporting.adapters.projections import projections
from shared.config import Settings
from shared.db import create_pool
from shared.messaging import connect_nats
from shared.projections import Projection, RebuildError, rebuild
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
def replay(
    projection: str = typer.Argument(None, help="Name of the projection, e.g. usage"),
    every: bool = typer.Option(False, "--all", help="Every projection, one after the other"),
) -> None:
    """Rebuild PROJECTION (or --all) from the start of history beside the live one, then swap."""
    settings = Settings()
    chosen = _chosen(projections(load_tenants(settings.vidcon_tenants_dir)), projection, every)
    try:
        asyncio.run(_replay(settings, chosen))
    except RebuildError as error:
        typer.echo(f"replay stopped: {error}", err=True)
        raise typer.Exit(1) from None


def _chosen(known: dict[str, Projection], name: str | None, every: bool) -> list[Projection]:
    if every == (name is not None):
        raise typer.BadParameter("name one projection or pass --all")
    if every:
        return list(known.values())
    if name not in known:
        raise typer.BadParameter(f"unknown projection {name!r}; known: {', '.join(known)}")
    return [known[name]]


async def _replay(settings: Settings, chosen: list[Projection]) -> None:
    pool = await create_pool(settings.database_url, "reporting")
    nc = await connect_nats(settings.nats_url, name="reporting-replay", settings=settings)
    columns = (TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]}"), TimeRemainingColumn())
    try:
        with Progress(*columns) as bar:
            for projection in chosen:
                replayed = await rebuild(pool, nc.jetstream(), projection, _bar_task(bar, projection.name))
                bar.console.print(f"{projection.name}: {replayed.read} events read, {replayed.skipped}"
                                  " unreadable skipped; the new copy is live")
    finally:
        await nc.close()
        await pool.close()


def _bar_task(bar: Progress, name: str):
    task = bar.add_task(f"replay {name}", total=None, rate="")

    def progress(done: int, of: int) -> None:
        elapsed = bar.tasks[task].elapsed or 1e-9
        bar.update(task, completed=done, total=of, rate=f"{done / elapsed:,.0f} events/s")

    return progress
