"""A survey filled in on paper and typed into a spreadsheet: a header U1..U9, one row a respondent."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any, Iterator

from shared.files.workbooks import MB, MAX_UNPACKED_BYTES, WorkbookRefused, bounded_rows, open_workbook
from shared.satisfaction.index import ANSWERS, ELEMENTS

MAX_RESPONDENTS = 5000
MAX_CSV_BYTES = MAX_UNPACKED_BYTES  # a CSV is read whole, so it gets the bound of an unpacked workbook


class SurveySheetError(ValueError):
    """Names the row and the column at fault, in Bahasa Indonesia."""

    def __init__(self, message: str, row: int | None = None, column: str | None = None):
        where = ", ".join(filter(None, [f"baris {row}" if row else "", f"kolom {column}" if column else ""]))
        super().__init__(f"{where}: {message}" if where else message)
        self.row, self.column = row, column


def read_survey_sheet(path: Path) -> list[dict[str, int]]:
    """Every respondent's nine answers; refuses the whole file at its first fault."""
    rows = _rows(path)
    if not rows:
        raise SurveySheetError("berkas kosong: baris pertama harus berisi judul kolom U1 sampai U9")
    header = [str(cell).strip().upper() if cell is not None else "" for cell in rows[0]]
    missing = [element for element in ELEMENTS if element not in header]
    if missing:
        raise SurveySheetError(f"judul kolom {', '.join(missing)} tidak ada (wajib U1 sampai U9)", row=1)
    places = {element: header.index(element) for element in ELEMENTS}
    return [_answers(number, row, places) for number, row in enumerate(rows[1:], start=2) if _filled(row)]


def _rows(path: Path) -> list[list[Any]]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _bounded(_csv_rows(path))
    if suffix == ".xlsx":
        return _bounded(_xlsx_rows(path))
    raise SurveySheetError(f"jenis berkas {suffix or '(tanpa akhiran)'} tidak didukung: gunakan .csv atau .xlsx")


def _csv_rows(path: Path) -> Iterator[list[Any]]:
    if path.stat().st_size > MAX_CSV_BYTES:
        raise SurveySheetError(f"berkas CSV melebihi batas {MAX_CSV_BYTES // MB} MB")
    text = path.read_bytes().decode("utf-8-sig", errors="strict")
    dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ",", delimiters=",;\t")
    return csv.reader(io.StringIO(text), dialect)


def _xlsx_rows(path: Path) -> Iterator[tuple[Any, ...]]:
    try:
        workbook = open_workbook(path)
        sheet = workbook.worksheets[0]
    except WorkbookRefused as refused:
        raise SurveySheetError(f"berkas XLSX {refused}") from None
    except Exception as error:  # noqa: BLE001  any unreadable workbook is the same refusal
        raise SurveySheetError(f"berkas XLSX tidak dapat dibaca ({type(error).__name__})") from None
    try:
        yield from sheet.iter_rows(values_only=True)
    finally:
        workbook.close()


def _bounded(rows: Iterator[Any]) -> list[list[Any]]:
    """The header and at most MAX_RESPONDENTS rows after it; more is refused without reading on."""
    try:
        return bounded_rows(rows, MAX_RESPONDENTS + 1)
    except WorkbookRefused:
        raise SurveySheetError(
            f"berkas berisi lebih dari {MAX_RESPONDENTS} baris responden (batas {MAX_RESPONDENTS})"
        ) from None


def _filled(row: list[Any]) -> bool:
    return any(cell not in (None, "") and str(cell).strip() for cell in row)


def _answers(number: int, row: list[Any], places: dict[str, int]) -> dict[str, int]:
    answers = {}
    for element, place in places.items():
        cell = row[place] if place < len(row) else None
        text = "" if cell is None else str(cell).strip()
        if text.endswith(".0"):
            text = text[:-2]  # a spreadsheet's number 4 read as 4.0
        if not text.isdigit() or int(text) not in ANSWERS:
            shown = text or "kosong"
            raise SurveySheetError(f"jawaban harus 1, 2, 3 atau 4 (tertulis: {shown})", row=number, column=element)
        answers[element] = int(text)
    return answers
