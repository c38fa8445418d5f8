"""Berkas: the signed letter (PDF) and the participant list (spreadsheet or CSV) a request carries."""
from __future__ import annotations

from dataclasses import dataclass

from shared.domain import DomainRuleBroken

MB = 1024 * 1024


@dataclass(frozen=True)
class DocumentKind:
    label: str
    formats: frozenset[str]
    max_bytes: int
    format_words: str


PDF_DOCUMENT = dict(formats=frozenset({"pdf"}), max_bytes=5 * MB, format_words="PDF")
KINDS = {
    "request_letter": DocumentKind("surat permohonan", **PDF_DOCUMENT),
    "request_form": DocumentKind("formulir permintaan layanan", **PDF_DOCUMENT),
    "participant_list": DocumentKind("daftar peserta", frozenset({"xlsx", "csv"}), 2 * MB,
                                     "lembar kerja Excel (.xlsx) atau CSV"),
}


LARGEST = max(kind.max_bytes for kind in KINDS.values())


def check_size(kind: str, size: int) -> DocumentKind:
    """The kind is known and the file is neither empty nor too large."""
    if kind not in KINDS:
        raise DomainRuleBroken("kind", f"jenis berkas tidak dikenal; pilih salah satu: {', '.join(KINDS)}")
    accepted = KINDS[kind]
    if size == 0:
        raise DomainRuleBroken("file", f"berkas {accepted.label} kosong")
    if size > accepted.max_bytes:
        raise DomainRuleBroken("file", f"berkas {accepted.label} melebihi batas {accepted.max_bytes // MB} MB",
                               status=413)
    return accepted


def check_format(accepted: DocumentKind, detected_format: str | None) -> None:
    """The content is what the kind needs, judged from the bytes, not from the file's name."""
    if detected_format not in accepted.formats:
        raise DomainRuleBroken("file", f"berkas {accepted.label} harus berupa {accepted.format_words}"
                                       " yang dapat dibuka", status=415)
