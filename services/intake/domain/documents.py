"""Berkas: the signed letter (PDF) and the participant list (spreadsheet or CSV) a request carries."""

from __future__ import annotations

from dataclasses import replace
from shared.domain import DomainRuleBroken
from shared.files import MB, FileKind

MAX_PARTICIPANT_ROWS = 5000  # blank rows and the header count too: rows are counted as read
PDF_DOCUMENT = FileKind("", formats=frozenset({"pdf"}), max_bytes=5 * MB, format_words="PDF")
KINDS = {
    "request_letter": replace(PDF_DOCUMENT, label="surat permohonan"),
    "request_form": replace(PDF_DOCUMENT, label="formulir permintaan layanan"),
    "participant_list": FileKind(
        "daftar peserta",
        frozenset({"xlsx", "csv"}),
        2 * MB,
        "lembar kerja Excel (.xlsx) atau CSV",
        max_rows=MAX_PARTICIPANT_ROWS,
    ),
}


LARGEST = max(kind.max_bytes for kind in KINDS.values())


def kind_of(kind: str) -> FileKind:
    if kind not in KINDS:
        raise DomainRuleBroken("kind", f"jenis berkas tidak dikenal; pilih salah satu: {', '.join(KINDS)}")
    return KINDS[kind]
