"""Rate limits on public forms and a ceiling on request bodies (uploads included)."""
from __future__ import annotations

import json

from fastapi import Request
from limits import parse
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import MovingWindowRateLimiter
from starlette.types import ASGIApp, Receive, Scope, Send

from shared.auth.access import Forbidden

_limiter = MovingWindowRateLimiter(MemoryStorage())


class TooManyRequests(Forbidden):
    pass


def rate_limited(rate: str):
    """A dependency allowing `rate` (e.g. "20/minute") per client address and route.

    Counted per replica: behind N replicas a client gets up to N times the rate.
    """
    limit = parse(rate)

    async def check(request: Request) -> None:
        client = request.client.host if request.client else "unknown"
        if not await _limiter.hit(limit, request.url.path, client):
            raise TooManyRequests("Terlalu banyak permintaan dari alamat Anda. Tunggu sebentar lalu coba lagi.")

    return check


class BodyTooLarge(Exception):
    pass


class LimitBodySize:
    """Refuse bodies over `max_bytes` with 413, whether or not they declare a length."""

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared and int(declared) > self.max_bytes:
            return await _too_large(send, self.max_bytes)
        seen = 0

        async def counted() -> dict:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                raise BodyTooLarge()
            return message

        try:
            await self.app(scope, counted, send)
        except BodyTooLarge:
            await _too_large(send, self.max_bytes)


async def _too_large(send: Send, max_bytes: int) -> None:
    body = json.dumps({"message": f"Ukuran kiriman melebihi batas {max_bytes // (1024 * 1024)} MB.",
                       "errors": [{"field": "berkas", "rule": "terlalu besar"}]}).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
