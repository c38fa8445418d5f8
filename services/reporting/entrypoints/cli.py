"""`python -m reporting`: the service; `python -m reporting replay <projection>|--all` is `vidcon replay`."""

from __future__ import annotations

import typer

from shared.cli.replay import replay

app = typer.Typer(help="The Vidcon reporting service.")
app.command("replay")(replay)


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
