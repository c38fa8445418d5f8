"""What an upload of a kind may be: its formats and size, judged from its bytes, never from its name."""
from __future__ import annotations

from dataclasses import dataclass

from shared.domain import DomainRuleBroken
from shared.files.formats import detect_format

MB = 1024 * 1024


@dataclass(frozen=True)
class FileKind:
    label: str
    formats: frozenset[str]
    max_bytes: int
    format_words: str


def check_upload(accepted: FileKind, content: bytes) -> str:
    """The file's format, once it is neither empty nor too large and is one the kind takes."""
    check_size(accepted, len(content))
    detected = detect_format(content)
    check_format(accepted, detected)
    return detected


def check_size(accepted: FileKind, size: int) -> None:
    if size == 0:
        raise DomainRuleBroken("file", f"berkas {accepted.label} kosong")
    if size > accepted.max_bytes:
        raise DomainRuleBroken("file", f"berkas {accepted.label} melebihi batas {accepted.max_bytes // MB} MB",
                               status=413)


def check_format(accepted: FileKind, detected_format: str | None) -> None:
    if detected_format not in accepted.formats:
        raise DomainRuleBroken("file", f"berkas {accepted.label} harus berupa {accepted.format_words}"
                                       " yang dapat dibuka", status=415)
