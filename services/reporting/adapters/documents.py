"""Files for the paper trail: XLSX (a sheet per table), CSV (the tables one after another), PDF."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Font

from reporting.entrypoints.report_tables import Table

DATETIME_FORMAT = "dd/mm/yyyy hh:mm"


def xlsx_of(tables: list[Table], title: str) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(table.title[:31])
        sheet.append(table.headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append(row)
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, datetime):
                    cell.number_format = DATETIME_FORMAT
        for column, header in zip(sheet.columns, table.headers):
            sheet.column_dimensions[column[0].column_letter].width = min(60, max(12, len(header) + 2))
    book.properties.title = title
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_of(tables: list[Table]) -> bytes:
    """Semicolon-separated with a BOM, as spreadsheet programs in Indonesia open it."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    for table in tables:
        writer.writerow([f"# {table.title}"])
        writer.writerow(table.headers)
        writer.writerows([_text(cell) for cell in row] for row in table.rows)
        writer.writerow([])
    return ("\ufeff" + out.getvalue()).encode()


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.strftime("%Y-%m-%d %H:%M")
    return str(cell)


def pdf_of(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()
