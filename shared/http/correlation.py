from __future__ import annotations

import uuid

import structlog
from fastapi import FastAPI, Request
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CORRELATION_HEADER = "X-Correlation-Id"
UNLOGGED = ("/healthz", "/readyz", "/metrics")
log = structlog.get_logger()


def correlation_id_from(request: Request) -> str:
    """The id that follows this request through every service's events and logs."""
    return (
        getattr(request.state, "correlation_id", None) or request.headers.get(CORRELATION_HEADER) or str(uuid.uuid4())
    )


def install_correlation(app: FastAPI) -> None:
    """Take the caller's correlation id (or make one), bind it to the logs, echo it back."""
    app.add_middleware(Correlation)


class Correlation:
    """Pure ASGI, not `BaseHTTPMiddleware`: that runs every request in a task group of its own
    and copies each response through a stream, which showed high in intake's profile."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        correlation_id = Headers(scope=scope).get(CORRELATION_HEADER) or str(uuid.uuid4())
        scope.setdefault("state", {})["correlation_id"] = correlation_id
        path = scope["path"]

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[CORRELATION_HEADER] = correlation_id
                if path not in UNLOGGED:
                    log.info("http.request", method=scope["method"], path=path, status=message["status"])
            await send(message)

        with structlog.contextvars.bound_contextvars(correlation_id=correlation_id, tenant=tenant_in_path(path)):
            await self.app(scope, receive, send_with_id)


def tenant_in_path(path: str) -> str | None:
    """`/api/<tenant>/...` and `/t/<tenant>/...` name the tenant (routing has not run yet)."""
    parts = path.split("/")
    return parts[2] if len(parts) > 2 and parts[1] in ("api", "t") else None
