from __future__ import annotations

from datetime import datetime, timezone

from fastapi import Request


def now_of(request: Request) -> datetime:
    """The service's clock: a test sets `runtime.extras["clock"]`, otherwise the real time."""
    clock = request.app.state.runtime.extras.get("clock")
    return clock() if clock else datetime.now(timezone.utc)
