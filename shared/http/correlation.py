from __future__ import annotations

import uuid

import structlog
from fastapi import FastAPI, Request

CORRELATION_HEADER = "X-Correlation-Id"
log = structlog.get_logger()


def correlation_id_from(request: Request) -> str:
    """The id that follows this request through every service's events and logs."""
    return getattr(request.state, "correlation_id", None) or request.headers.get(
        CORRELATION_HEADER) or str(uuid.uuid4())


def install_correlation(app: FastAPI) -> None:
    """Take the caller's correlation id (or make one), bind it to the logs, echo it back."""

    @app.middleware("http")
    async def correlate(request: Request, call_next):
        correlation_id = request.headers.get(CORRELATION_HEADER) or str(uuid.uuid4())
        request.state.correlation_id = correlation_id
        with structlog.contextvars.bound_contextvars(correlation_id=correlation_id,
                                                     tenant=tenant_in_path(request.url.path)):
            response = await call_next(request)
            if request.url.path not in ("/healthz", "/readyz", "/metrics"):
                log.info("http.request", method=request.method, path=request.url.path,
                         status=response.status_code)
        response.headers[CORRELATION_HEADER] = correlation_id
        return response


def tenant_in_path(path: str) -> str | None:
    """`/api/<tenant>/...` and `/t/<tenant>/...` name the tenant (routing has not run yet)."""
    parts = path.split("/")
    return parts[2] if len(parts) > 2 and parts[1] in ("api", "t") else None
