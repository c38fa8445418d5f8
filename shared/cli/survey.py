"""`vidcon survey index|import`: a satisfaction survey sheet (SKM, PermenPANRB 14/2017).

Their output stays in Bahasa Indonesia: it quotes the regulation's terms (IKM, NRR, mutu) and the
sheet errors the pages show too."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from shared.cli.connection import fail
from shared.satisfaction import ELEMENTS, SatisfactionIndex, SurveySheetError, read_survey_sheet, satisfaction_index

app = typer.Typer(help="The satisfaction survey (SKM) of PermenPANRB 14/2017.", no_args_is_help=True)

SHEET = typer.Argument(..., help="CSV or XLSX: a header U1..U9, one row per respondent.")


@app.command("index")
def survey_index(
    file: Path = SHEET, as_json: bool = typer.Option(False, "--json", help="Print the index as JSON.")
) -> None:
    """Compute the satisfaction index (IKM) of a survey sheet."""
    try:
        index = satisfaction_index(read_survey_sheet(file))
    except (SurveySheetError, OSError, UnicodeDecodeError) as error:
        raise fail(f"{file}: {error}") from None
    if index is None:
        raise fail(f"{file}: belum ada responden")
    if as_json:
        typer.echo(json.dumps(index.as_json()))
    else:
        Console().print(_index_table(index))


def _index_table(index: SatisfactionIndex) -> Table:
    table = Table(title=f"Indeks Kepuasan Masyarakat — {index.respondents} responden")
    table.add_column("Unsur")
    table.add_column("Nama")
    table.add_column("NRR", justify="right")
    for element, average in index.elements.items():
        table.add_row(element, ELEMENTS[element], f"{average:.2f}")
    table.add_row("IKM", f"Mutu {index.grade.letter} ({index.grade.words})", f"{index.ikm:.2f}")
    return table


@app.command("import")
def survey_import(
    file: Path = SHEET,
    tenant: str = typer.Option(..., "--tenant", help="The department (tenant id)."),
    filled_on: datetime = typer.Option(
        ..., "--date", formats=["%Y-%m-%d"], help="The day the paper survey was filled in."
    ),
) -> None:
    """Record a paper survey's responses (DATABASE_URL); the evaluations count them that day."""
    from complaints.entrypoints.cli import import_paper_survey  # the complaints service owns surveys

    try:
        count = import_paper_survey(file, tenant, filled_on.date())
    except (SurveySheetError, ValueError, OSError) as error:
        raise fail(f"{file}: {error}") from None
    typer.echo(f"{count} responden dari {file.name} tercatat untuk {tenant} ({filled_on:%d-%m-%Y})")
