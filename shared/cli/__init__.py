"""`vidcon`: the operators' command line. Every help text is in English (docs/decisions.md, "One CLI")."""

from __future__ import annotations

import typer

from shared.cli import dlq, feed, generated, processes, replay, stream, survey, tenants, users

app = typer.Typer(
    help="Vidcon operations: projections, dead letters, streams, tenants, generated files.", no_args_is_help=True
)
app.command("replay")(replay.replay)
app.add_typer(dlq.app, name="dlq")
app.add_typer(dlq.app, name="dead-letters", hidden=True)  # the group's first name, kept for old runbooks
app.add_typer(stream.app, name="stream")
app.add_typer(tenants.app, name="tenants")
app.add_typer(survey.app, name="survey")
app.add_typer(feed.app, name="feed")
app.command("users")(users.users)
app.command("gateway")(generated.gateway)
app.command("contracts")(generated.contracts)
app.command("serve")(processes.serve)
app.command("run")(processes.run)

__all__ = ["app"]
