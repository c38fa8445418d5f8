"""`vidcon`: the operators' command line (more commands join it as their issues land)."""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from shared.satisfaction import ELEMENTS, SurveySheetError, read_survey_sheet, satisfaction_index

app = typer.Typer(help="Vidcon operations", no_args_is_help=True)
survey = typer.Typer(help="The satisfaction survey (SKM) of PermenPANRB 14/2017", no_args_is_help=True)
app.add_typer(survey, name="survey")


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


if __name__ == "__main__":
    app()
