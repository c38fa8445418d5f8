"""Unggah berkas: a letter or participant list is checked by its content, then stored with its sha256."""

from __future__ import annotations

import asyncpg

from intake.adapters.documents import store_document
from intake.domain.documents import kind_of
from shared.files import MEDIA_TYPES, check_upload


async def upload_document(conn: asyncpg.Connection, tenant: str, kind: str, filename: str, content: bytes) -> dict:
    detected = check_upload(kind_of(kind), content)
    return await store_document(conn, tenant, kind, filename, MEDIA_TYPES[detected], content)
