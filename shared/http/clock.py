from __future__ import annotations

from datetime import datetime

from fastapi import Request

from shared.clock import utc_now


def now_of(request: Request) -> datetime:
    """The service's clock: a test sets `runtime.extras["clock"]`, otherwise the real time."""
    clock = request.app.state.runtime.extras.get("clock") or utc_now
    now: datetime = clock()
    return now
