"""`vidcon`: the operators' command line (more commands join it as their issues land)."""
from __future__ import annotations

import asyncio
import contextlib
import json
from datetime import datetime
from pathlib import Path
from typing import AsyncIterator, Optional

import typer
from rich.console import Console
from rich.table import Table

from shared.satisfaction import ELEMENTS, SurveySheetError, read_survey_sheet, satisfaction_index

app = typer.Typer(help="Vidcon operations", no_args_is_help=True)
survey = typer.Typer(help="The satisfaction survey (SKM) of PermenPANRB 14/2017", no_args_is_help=True)
app.add_typer(survey, name="survey")
dead_letters = typer.Typer(help="Events a consumer parked in VIDCON_DLQ (NATS_URL; an admin's credentials)",
                           no_args_is_help=True)
app.add_typer(dead_letters, name="dead-letters")
feed = typer.Typer(help="The public feed for other agencies (stream VIDCON_PUBLIC; docs/public-feed.md)",
                   no_args_is_help=True)
app.add_typer(feed, name="feed")


@survey.command("index")
def survey_index(file: Path = typer.Argument(..., help="CSV or XLSX: a header U1..U9, one row per respondent"),
                 as_json: bool = typer.Option(False, "--json", help="Print the index as JSON")) -> None:
    """Compute the satisfaction index (IKM) of a survey sheet."""
    try:
        index = satisfaction_index(read_survey_sheet(file))
    except (SurveySheetError, OSError, UnicodeDecodeError) as error:
        typer.echo(f"{file}: {error}", err=True)
        raise typer.Exit(2) from None
    if index is None:
        typer.echo(f"{file}: belum ada responden", err=True)
        raise typer.Exit(2)
    if as_json:
        typer.echo(json.dumps(index.as_json()))
        return
    table = Table(title=f"Indeks Kepuasan Masyarakat — {index.respondents} responden")
    table.add_column("Unsur"), table.add_column("Nama"), table.add_column("NRR", justify="right")
    for element, average in index.elements.items():
        table.add_row(element, ELEMENTS[element], f"{average:.2f}")
    table.add_row("IKM", f"Mutu {index.grade.letter} ({index.grade.words})", f"{index.ikm:.2f}")
    Console().print(table)


@survey.command("import")
def survey_import(file: Path = typer.Argument(..., help="CSV or XLSX: a header U1..U9, one row per respondent"),
                  tenant: str = typer.Option(..., "--tenant", help="The department (tenant id)"),
                  filled_on: datetime = typer.Option(..., "--date", formats=["%Y-%m-%d"],
                                                     help="The day the paper survey was filled in")) -> None:
    """Record a paper survey's responses (DATABASE_URL); the evaluations count them that day."""
    from complaints.entrypoints.cli import import_paper_survey  # the complaints service owns surveys

    try:
        count = import_paper_survey(file, tenant, filled_on.date())
    except (SurveySheetError, ValueError, OSError) as error:
        typer.echo(f"{file}: {error}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"{count} responden dari {file.name} tercatat untuk {tenant} ({filled_on:%d-%m-%Y})")


@contextlib.asynccontextmanager
async def _jetstream(user: str | None = None, password: str | None = None) -> AsyncIterator:
    import nats
    import nats.errors

    from shared.config import Settings
    from shared.messaging.connect import credential_options, nats_servers

    async def say(error: Exception) -> None:
        """A refused permission, say; not being able to connect is said once, by `_with_nats`."""
        if not isinstance(error, (OSError, nats.errors.NoServersError)):
            typer.echo(f"NATS: {error}", err=True)

    settings = Settings()
    if user:
        settings = settings.model_copy(update={"nats_user": user, "nats_password": password, "nats_creds": None})
    nc = await nats.connect(nats_servers(settings.nats_url), name="vidcon-cli", connect_timeout=5, allow_reconnect=False,
                            error_cb=say, **credential_options(settings))
    try:
        yield nc.jetstream()
    finally:
        await nc.close()


def _with_nats(work):
    """Run `work` (a coroutine), or say why NATS could not be reached."""
    import nats.errors

    try:
        return asyncio.run(work)
    except (OSError, TimeoutError, nats.errors.NoServersError) as unreachable:
        typer.echo(f"NATS ({_nats_url()}): {unreachable!r}", err=True)
        raise typer.Exit(3) from None


def _nats_url() -> str:
    from shared.config import Settings

    return Settings().nats_url


CONSUMER_OPTION = typer.Option(None, "--consumer", help="Only those this consumer parked, e.g. provisioning-requests")


@dead_letters.command("list")
def dead_letters_list(consumer: Optional[str] = CONSUMER_OPTION,
                      as_json: bool = typer.Option(False, "--json", help="Print them as JSON")) -> None:
    """The dead letters waiting, oldest first: id, when, consumer, event, error, attempts."""
    from shared.messaging.dead_letters import dead_letters as read

    async def summaries() -> list[dict]:
        async with _jetstream() as js:
            return [letter.summary() async for letter in read(js, consumer)]

    found = _with_nats(summaries())
    if as_json:
        typer.echo(json.dumps(found, indent=1))
        return
    columns = ("id", "parked_at", "consumer", "type", "tenant", "event_id", "attempts", "error")
    table = Table(*columns, title=f"{len(found)} dead letters")
    for row in found:
        table.add_row(*(str(row[column] or "")[:80] for column in columns))
    Console().print(table)


@dead_letters.command("show")
def dead_letters_show(letter_id: int = typer.Argument(..., help="The id that `list` shows")) -> None:
    """One dead letter in full (JSON): error, traceback, attempts, original subject and headers, event."""
    from shared.messaging.dead_letters import NoSuchDeadLetter, dead_letter

    async def details() -> dict:
        async with _jetstream() as js:
            return (await dead_letter(js, letter_id)).details()

    try:
        typer.echo(json.dumps(_with_nats(details()), indent=1, ensure_ascii=False))
    except NoSuchDeadLetter as missing:
        typer.echo(str(missing), err=True)
        raise typer.Exit(2) from None


@dead_letters.command("redrive")
def dead_letters_redrive(letter_id: Optional[int] = typer.Argument(None, help="The id that `list` shows"),
                         every: bool = typer.Option(False, "--all", help="Every dead letter (of --consumer)"),
                         consumer: Optional[str] = CONSUMER_OPTION) -> None:
    """Publish dead letters again to their original subjects (after the fix), and remove them.

    Each consumer's inbox applies an event at most once, so redriving one twice is harmless.
    """
    from shared.messaging.dead_letters import NoSuchDeadLetter

    if (letter_id is None) == (not every):
        typer.echo("give a dead letter's id or --all", err=True)
        raise typer.Exit(2)
    try:
        failures = _with_nats(_redrive(letter_id, consumer))
    except NoSuchDeadLetter as missing:
        typer.echo(str(missing), err=True)
        raise typer.Exit(2) from None
    raise typer.Exit(1 if failures else 0)


async def _redrive(letter_id: int | None, consumer: str | None) -> int:
    """Redrive the chosen dead letters in stream order; returns how many could not be."""
    from shared.messaging import dead_letters as letters

    async with _jetstream() as js:
        if letter_id is not None:
            chosen = [await letters.dead_letter(js, letter_id)]
        else:
            chosen = [letter async for letter in letters.dead_letters(js, consumer)]
        redriven = [await _redrive_one(js, letter) for letter in chosen]
    typer.echo(f"{sum(redriven)} redriven")
    return redriven.count(False)


async def _redrive_one(js, letter) -> bool:
    from shared.messaging.dead_letters import NotRedrivable, redrive

    try:
        removed = await redrive(js, letter)
    except NotRedrivable as refused:
        typer.echo(str(refused), err=True)
        return False
    note = "" if removed else " (the stream denies deletes: it stays listed)"
    typer.echo(f"{letter.id}: {letter.consumer} -> {letter.subject}{note}")
    return True


@feed.command("follow")
def feed_follow(tenant: Optional[str] = typer.Option(None, "--tenant",
                                                    help="The department whose events to follow (default: all)"),
                name: Optional[str] = typer.Option(None, "--name", help="The durable consumer (default: NATS_USER)")) -> None:
    """Print a tenant's public events as they arrive, from the beginning (one JSON line each), as an
    agency would (NATS_URL, NATS_USER/NATS_PASSWORD or NATS_CREDS of the agency). Ctrl-C stops;
    the next start goes on after the last event printed."""
    import signal

    from shared.config import Settings
    from shared.messaging.public_feed import follow

    durable = name or Settings().nats_user or "agency"

    async def run() -> int:
        stop = asyncio.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            asyncio.get_running_loop().add_signal_handler(sig, stop.set)
        async with _jetstream() as js:
            return await follow(js, tenant, durable, lambda event: typer.echo(event.model_dump_json()), stop)

    from shared.messaging.public_feed import OtherFilter

    try:
        shown = _with_nats(run())
    except OtherFilter as refused:
        typer.echo(str(refused), err=True)
        raise typer.Exit(2) from None
    typer.echo(f"{shown} events shown; stopped", err=True)


@feed.command("repair")
def feed_repair(tenant: Optional[str] = typer.Option(None, "--tenant", help="Only this department"),
                dry_run: bool = typer.Option(False, "--dry-run", help="Only say what is missing"),
                agencies_user: str = typer.Option(..., "--agencies-user", envvar="AGENCIES_NATS_USER",
                                                  help="A reader of VIDCON_PUBLIC in the agencies' account"),
                agencies_password: str = typer.Option(..., "--agencies-password", envvar="AGENCIES_NATS_PASSWORD")
                ) -> None:
    """Find public events the agencies' stream lacks (by event id, against the department's log) and
    publish them again (NATS_URL with reporting's or an admin's credentials for the log)."""
    from shared.messaging.public_feed import missing_copies, repair

    async def run() -> tuple[int, int]:
        async with _jetstream() as internal, _jetstream(agencies_user, agencies_password) as agencies:
            missing = await missing_copies(internal, agencies, tenant)
            for gap in missing:
                typer.echo(f"missing: {gap.envelope.id} {gap.envelope.type} {gap.subject}")
            return len(missing), 0 if dry_run else await repair(internal, missing)

    found, repaired = _with_nats(run())
    typer.echo(f"{found} missing, {repaired} published again")


if __name__ == "__main__":
    app()
