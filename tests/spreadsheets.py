"""Workbooks for the upload limits: a real one, a long one, and one whose sheet unpacks to far more than it weighs."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"
SHEET_OPENS = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
SHEET_CLOSES = b"</sheetData></worksheet>"
ROW = b'<row><c t="inlineStr"><is><t>Budi Santoso</t></is></c><c t="inlineStr"><is><t>Bappeda</t></is></c></row>'


def a_workbook_of(rows: list[list]) -> bytes:
    book, out = Workbook(), io.BytesIO()
    for row in rows:
        book.active.append(row)
    book.save(out)
    return out.getvalue()


def a_workbook_bomb(unpacked_mb: int = 100) -> bytes:
    """A real workbook whose first sheet repeats one row until it unpacks to `unpacked_mb` MB (packed: ~1/300)."""
    source, out = zipfile.ZipFile(io.BytesIO(a_workbook_of([["Nama", "Instansi"]]))), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for member in source.infolist():
            if member.filename == SHEET:
                _write_long_sheet(bomb, unpacked_mb)
            else:
                bomb.writestr(member, source.read(member))
    return out.getvalue()


def _write_long_sheet(archive: zipfile.ZipFile, unpacked_mb: int) -> None:
    chunk = ROW * 10_000
    with archive.open(SHEET, "w", force_zip64=True) as sheet:
        sheet.write(SHEET_OPENS)
        for _ in range(unpacked_mb * 1024 * 1024 // len(chunk) + 1):
            sheet.write(chunk)
        sheet.write(SHEET_CLOSES)
