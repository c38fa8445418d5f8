from __future__ import annotations

import uuid

from fastapi import Request

CORRELATION_HEADER = "X-Correlation-Id"


def correlation_id_from(request: Request) -> str:
    """The caller's correlation id, or a new one: it follows the request through every service."""
    return request.headers.get(CORRELATION_HEADER) or str(uuid.uuid4())
