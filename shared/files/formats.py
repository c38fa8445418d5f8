"""What a file really is, judged by its content (magic bytes and a parse), never by its name."""

from __future__ import annotations

import csv
import io
import logging

from shared.files.images import opens_as_jpeg, opens_as_png
from shared.files.workbooks import open_workbook

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "csv": "text/csv",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

logging.getLogger("pypdf").setLevel(logging.ERROR)


def detect_format(content: bytes) -> str | None:
    """`pdf`, `xlsx`, `png`, `jpeg`, `csv`, or None when it is none of them (or does not open)."""
    if content.startswith(PDF_MAGIC):
        return "pdf" if _opens_as_pdf(content) else None
    if content.startswith(ZIP_MAGIC):
        return "xlsx" if _opens_as_workbook(content) else None
    if content.startswith(PNG_MAGIC):
        return "png" if opens_as_png(content) else None
    if content.startswith(JPEG_MAGIC):
        return "jpeg" if opens_as_jpeg(content) else None
    return "csv" if _reads_as_csv(content) else None


def _opens_as_pdf(content: bytes) -> bool:
    from pypdf import PdfReader

    try:
        return len(PdfReader(io.BytesIO(content)).pages) > 0
    except Exception:  # noqa: BLE001  any parse failure means "not a usable PDF"
        return False


def _opens_as_workbook(content: bytes) -> bool:
    try:
        workbook = open_workbook(content)
    except Exception:  # noqa: BLE001  any parse failure, or an archive too large to open, means "not a workbook"
        return False
    try:
        return len(workbook.sheetnames) > 0
    finally:
        workbook.close()


def _reads_as_csv(content: bytes) -> bool:
    if b"\x00" in content:
        return False
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return any(_has_columns(text, delimiter) for delimiter in ",;\t")


def _has_columns(text: str, delimiter: str) -> bool:
    """A table, not prose: some row has at least two filled cells (Excel in Indonesia writes `;`)."""
    rows = csv.reader(io.StringIO(text), delimiter=delimiter)
    return any(sum(1 for cell in row if cell.strip()) >= 2 for row in rows)
