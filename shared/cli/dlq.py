"""`vidcon dlq list|show|redrive`: events a consumer parked in VIDCON_DLQ (docs/decisions.md, "Dead letters")."""

from __future__ import annotations

import json
from typing import Any, Optional

import typer
from nats.js import JetStreamContext
from rich.console import Console
from rich.table import Table

from shared.cli.connection import fail, jetstream, with_nats
from shared.messaging.dead_letters import DeadLetter

app = typer.Typer(
    help="Dead letters: events a consumer parked in VIDCON_DLQ (NATS_URL; an admin's credentials).",
    no_args_is_help=True,
)

CONSUMER = typer.Option(None, "--consumer", help="Only those this consumer parked, e.g. provisioning-requests.")
COLUMNS = ("id", "parked_at", "consumer", "type", "tenant", "event_id", "attempts", "error")


@app.command("list")
def dlq_list(
    consumer: Optional[str] = CONSUMER, as_json: bool = typer.Option(False, "--json", help="Print them as JSON.")
) -> None:
    """The dead letters waiting, oldest first: id, when, consumer, event, error, attempts."""
    from shared.messaging.dead_letters import dead_letters

    async def summaries() -> list[dict[str, Any]]:
        async with jetstream() as js:
            return [letter.summary() async for letter in dead_letters(js, consumer)]

    found = with_nats(summaries())
    if as_json:
        typer.echo(json.dumps(found, indent=1))
        return
    table = Table(*COLUMNS, title=f"{len(found)} dead letters")
    for row in found:
        table.add_row(*(str(row[column] or "")[:80] for column in COLUMNS))
    Console().print(table)


@app.command("show")
def dlq_show(letter_id: int = typer.Argument(..., help="The id that `list` shows.")) -> None:
    """One dead letter in full (JSON): error, traceback, attempts, original subject and headers, event."""
    from shared.messaging.dead_letters import NoSuchDeadLetter, dead_letter

    async def details() -> dict[str, Any]:
        async with jetstream() as js:
            return (await dead_letter(js, letter_id)).details()

    try:
        typer.echo(json.dumps(with_nats(details()), indent=1, ensure_ascii=False))
    except NoSuchDeadLetter as missing:
        raise fail(str(missing)) from None


@app.command("redrive")
def dlq_redrive(
    letter_id: Optional[int] = typer.Argument(None, help="The id that `list` shows."),
    every: bool = typer.Option(False, "--all", help="Every dead letter (of --consumer)."),
    consumer: Optional[str] = CONSUMER,
) -> None:
    """Publish dead letters again to their original subjects (after the fix), and remove them.

    Each consumer's inbox applies an event at most once, so redriving one twice is harmless.
    """
    from shared.messaging.dead_letters import NoSuchDeadLetter

    if (letter_id is None) == (not every):
        raise fail("give a dead letter's id or --all")
    try:
        failures = with_nats(_redrive(letter_id, consumer))
    except NoSuchDeadLetter as missing:
        raise fail(str(missing)) from None
    raise typer.Exit(1 if failures else 0)


async def _redrive(letter_id: int | None, consumer: str | None) -> int:
    """Redrive the chosen dead letters in stream order; returns how many could not be."""
    from shared.messaging import dead_letters as letters

    async with jetstream() as js:
        if letter_id is not None:
            chosen = [await letters.dead_letter(js, letter_id)]
        else:
            chosen = [letter async for letter in letters.dead_letters(js, consumer)]
        redriven = [await _redrive_one(js, letter) for letter in chosen]
    typer.echo(f"{sum(redriven)} redriven")
    return redriven.count(False)


async def _redrive_one(js: JetStreamContext, letter: DeadLetter) -> bool:
    from shared.messaging.dead_letters import NotRedrivable, redrive

    try:
        removed = await redrive(js, letter)
    except NotRedrivable as refused:
        typer.echo(str(refused), err=True)
        return False
    note = "" if removed else " (the stream denies deletes: it stays listed)"
    typer.echo(f"{letter.id}: {letter.consumer} -> {letter.subject}{note}")
    return True
