"""An XLSX workbook is a zip archive: its declared sizes are checked before any XML in it is parsed.

Python's zipfile never yields more of a member than its declared size (it stops there and
fails the CRC check), and openpyxl reads through zipfile, so the declared sizes bound what
parsing can inflate: a small upload that would unpack to a gigabyte is refused from its
directory alone, without decompressing anything.
"""

from __future__ import annotations

from typing import Any
import io
import zipfile
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path

MB = 1024 * 1024
MAX_UNPACKED_BYTES = 20 * MB
MAX_RATIO = 100
RATIO_APPLIES_FROM = 1 * MB  # a small member (styles, a short sheet) may compress far better than 100:1


class WorkbookRefused(ValueError):
    """Too large to read safely; the message (Bahasa Indonesia) names the limit, `status` the HTTP answer."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


def check_archive(source: bytes | Path) -> None:
    """Refuses an archive whose members would unpack beyond the limits; one that is no zip passes."""
    try:
        with zipfile.ZipFile(_readable(source)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        return  # not an archive at all: the format check refuses it
    _check_unpacked_size(sum(member.file_size for member in members))
    for member in members:
        _check_ratio(member)


def open_workbook(source: bytes | Path) -> Any:
    """The workbook in read-only mode, once its archive passed `check_archive`."""
    from openpyxl import load_workbook

    check_archive(source)
    return load_workbook(_readable(source), read_only=True, data_only=True)


def bounded_rows(rows: Iterable[Any], limit: int, what: str = "baris") -> list[list[Any]]:
    """At most `limit` rows (blank ones count: they are read too); more is refused without reading on."""
    taken = [list(row) for row in islice(rows, limit + 1)]
    if len(taken) > limit:
        raise WorkbookRefused(f"berisi lebih dari {limit} {what} (batas {limit} {what})", status=422)
    return taken


def rows_of_every_sheet(workbook: Any) -> Iterator[Any]:
    for sheet in workbook.worksheets:
        yield from sheet.iter_rows(values_only=True)


def _check_unpacked_size(total: int) -> None:
    if total > MAX_UNPACKED_BYTES:
        raise WorkbookRefused(
            f"melebihi batas {MAX_UNPACKED_BYTES // MB} MB setelah dibuka (isinya {total / MB:.0f} MB)", status=413
        )


def _check_ratio(member: zipfile.ZipInfo) -> None:
    if member.file_size >= RATIO_APPLIES_FROM and member.file_size > MAX_RATIO * max(member.compress_size, 1):
        raise WorkbookRefused(
            f"dipadatkan lebih dari {MAX_RATIO} kali lipat (batas {MAX_RATIO}:1), tidak wajar untuk lembar kerja",
            status=413,
        )


def _readable(source: bytes | Path) -> io.BytesIO | Path:
    return io.BytesIO(source) if isinstance(source, bytes) else source
