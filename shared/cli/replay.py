"""`vidcon replay <projection>|--all`: rebuild reporting's projections from all of history, each
beside the live one with a progress bar, then swap (also `python -m reporting replay`)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from shared.config import Settings
from shared.projections import Projection, RebuildError, rebuild


def replay(
    projection: Optional[str] = typer.Argument(None, help="The projection's name, e.g. usage."),
    every: bool = typer.Option(False, "--all", help="Every projection, one after the other."),
) -> None:
    """Rebuild PROJECTION (or --all) from all of history beside the live one, then swap.

    Needs DATABASE_URL and NATS_URL. A second rebuild of the same projection while one runs is
    refused (exit code 1).
    """
    settings = Settings()
    chosen = _chosen(_known(settings), projection, every)
    try:
        asyncio.run(_replay(settings, chosen))
    except RebuildError as error:
        typer.echo(f"replay stopped: {error}", err=True)
        raise typer.Exit(1) from None


def _known(settings: Settings) -> dict[str, Projection]:
    from reporting.adapters.projections import projections  # the reporting service owns the projections
    from shared.tenants import load_tenants

    known: dict[str, Projection] = projections(load_tenants(settings.vidcon_tenants_dir))
    return known


def _chosen(known: dict[str, Projection], name: str | None, every: bool) -> list[Projection]:
    if every == (name is not None):
        raise typer.BadParameter("name one projection or pass --all")
    if every:
        return list(known.values())
    if name not in known:
        raise typer.BadParameter(f"unknown projection {name!r}; known: {', '.join(known)}")
    return [known[name]]


async def _replay(settings: Settings, chosen: list[Projection]) -> None:
    from shared.db import create_pool
    from shared.messaging import connect_nats

    pool = await create_pool(settings.database_url, "reporting")
    nc = await connect_nats(settings.nats_url, name="reporting-replay", settings=settings)
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
    )
    try:
        with Progress(*columns) as bar:
            for projection in chosen:
                replayed = await rebuild(pool, nc.jetstream(), projection, _bar_task(bar, projection.name))
                bar.console.print(
                    f"{projection.name}: {replayed.read} events read, {replayed.skipped}"
                    " unreadable skipped; the new copy is live"
                )
    finally:
        await nc.close()
        await pool.close()


def _bar_task(bar: Progress, name: str) -> Callable[[int, int], None]:
    task = bar.add_task(f"replay {name}", total=None, rate="")

    def progress(done: int, of: int) -> None:
        elapsed = bar.tasks[task].elapsed or 1e-9
        bar.update(task, completed=done, total=of, rate=f"{done / elapsed:,.0f} events/s")

    return progress
