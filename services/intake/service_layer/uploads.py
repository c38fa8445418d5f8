"""Unggah berkas: a letter or participant list is checked by its content, then stored with its sha256."""
from __future__ import annotations

import asyncpg

from intake.adapters.documents import store_document
from intake.adapters.file_formats import detect_format
from intake.domain.documents import check_format, check_size

MEDIA_TYPES = {"pdf": "application/pdf", "csv": "text/csv",
               "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


async def upload_document(conn: asyncpg.Connection, tenant: str, kind: str, filename: str, content: bytes) -> dict:
    accepted = check_size(kind, len(content))
    detected = detect_format(content)
    check_format(accepted, detected)
    return await store_document(conn, tenant, kind, filename, MEDIA_TYPES[detected], content)
