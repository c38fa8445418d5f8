"""What an upload of a kind may be: its formats and size, judged from its bytes, never from its name."""

from __future__ import annotations

import csv
import io
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

# the module, not the package: shared.domain's events import the survey sheets, which import this module
from shared.domain.errors import DomainRuleBroken
from shared.files.formats import detect_format
from shared.files.workbooks import MB, WorkbookRefused, bounded_rows, check_archive, open_workbook, rows_of_every_sheet


@dataclass(frozen=True)
class FileKind:
    label: str
    formats: frozenset[str]
    max_bytes: int
    format_words: str
    max_rows: int | None = None
    """For a table (XLSX, CSV): the most rows it may have, every sheet together."""


def check_upload(accepted: FileKind, content: bytes) -> str:
    """The file's format, once it is neither empty nor too large (packed or unpacked) and is one the kind takes."""
    check_size(accepted, len(content))
    check_unpacked_size(accepted, content)
    detected = check_format(accepted, detect_format(content))
    check_rows(accepted, detected, content)
    return detected


def check_size(accepted: FileKind, size: int) -> None:
    if size == 0:
        raise DomainRuleBroken("file", f"berkas {accepted.label} kosong")
    if size > accepted.max_bytes:
        raise DomainRuleBroken(
            "file", f"berkas {accepted.label} melebihi batas {accepted.max_bytes // MB} MB", status=413
        )


def check_unpacked_size(accepted: FileKind, content: bytes) -> None:
    """A workbook is refused from its archive's directory, before any of it is unpacked."""
    if "xlsx" in accepted.formats:
        with _refused_as(accepted):
            check_archive(content)


def check_format(accepted: FileKind, detected_format: str | None) -> str:
    """The detected format, when the kind takes it."""
    if detected_format is None or detected_format not in accepted.formats:
        raise DomainRuleBroken(
            "file", f"berkas {accepted.label} harus berupa {accepted.format_words} yang dapat dibuka", status=415
        )
    return detected_format


def check_rows(accepted: FileKind, detected_format: str, content: bytes) -> None:
    if accepted.max_rows is None or detected_format not in ("xlsx", "csv"):
        return
    with _refused_as(accepted):
        if detected_format == "csv":
            bounded_rows(_csv_rows(content), accepted.max_rows)
            return
        workbook = open_workbook(content)
        try:
            bounded_rows(rows_of_every_sheet(workbook), accepted.max_rows)
        finally:
            workbook.close()


def _csv_rows(content: bytes) -> Iterator[list[str]]:
    return csv.reader(io.StringIO(content.decode("utf-8-sig")))


@contextmanager
def _refused_as(accepted: FileKind) -> Iterator[None]:
    """A workbook's refusal as the upload's, naming the kind of file."""
    try:
        yield
    except WorkbookRefused as refused:
        raise DomainRuleBroken("file", f"berkas {accepted.label} {refused}", status=refused.status) from None
