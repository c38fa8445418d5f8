"""Run one service's ASGI app with uvicorn on $PORT (default 8000)."""

from __future__ import annotations

import os

import uvicorn


def serve(app_path: str) -> None:
    uvicorn.run(
        app_path,
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", "8000")),
        log_level="warning",
        factory=True,
        lifespan="on",
        timeout_graceful_shutdown=5,
    )
