"""`vidcon gateway` and `vidcon contracts`: the checked-in files generated from the code."""

from __future__ import annotations

import typer

CHECK = typer.Option(
    False,
    "--check",
    show_default=False,
    help="Only say whether the checked-in files are up to date (exit code 1 if not).",
)


def gateway(check: bool = CHECK) -> None:
    """Write deploy/base/gateway/Caddyfile from the services' routers (also `python -m shared.gateway`)."""
    from shared.gateway.caddyfile import CADDYFILE, render, write
    from shared.gateway.routes import current_table

    if not check:
        typer.echo(write())
    elif CADDYFILE.read_text() != render(current_table()):
        typer.echo(f"{CADDYFILE} differs from the services' routes: run `vidcon gateway`", err=True)
        raise typer.Exit(1)
    else:
        typer.echo(f"{CADDYFILE} is up to date")


def contracts(check: bool = CHECK) -> None:
    """Write contracts/ from the event models (also `python -m shared.contracts`).

    JSON Schema per event and version, AsyncAPI per service, the public contracts for agencies.
    """
    from shared.contracts import drifted, write

    if not check:
        write()
        return
    problems = drifted()
    typer.echo("\n".join(problems) or "contracts are up to date")
    raise typer.Exit(1 if problems else 0)
