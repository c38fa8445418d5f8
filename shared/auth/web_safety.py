"""Rate limits on public forms and a ceiling on request bodies (uploads included)."""

from __future__ import annotations

from typing import Any, Callable, Coroutine
from fastapi import Request
from limits import parse
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import MovingWindowRateLimiter
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.auth.access import Forbidden
from shared.http.errors import problem

_limiter = MovingWindowRateLimiter(MemoryStorage())


class TooManyRequests(Forbidden):
    pass


def rate_limited(rate: str) -> Callable[[Request], Coroutine[Any, Any, None]]:
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
    """Refuse bodies over `max_bytes` with 413, whether or not they declare a length.

    FastAPI reads a JSON body itself and turns any failure into its own 400 ("error parsing the
    body"); that answer is held back and replaced by the 413 once the body went over the limit.
    """

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared and int(declared) > self.max_bytes:
            return await self._too_large(scope, receive, send)
        seen, over = 0, False

        async def counted() -> Message:
            nonlocal seen, over
            message = await receive()
            seen += len(message.get("body", b""))
            over = seen > self.max_bytes
            if over:
                raise BodyTooLarge()
            return message

        async def unless_over(message: Message) -> None:
            if not over:
                await send(message)

        try:
            await self.app(scope, counted, unless_over)
        except BodyTooLarge:
            pass
        if over:
            await self._too_large(scope, receive, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        megabytes = f"{self.max_bytes / (1024 * 1024):g} MB"
        response = problem(
            Request(scope),
            413,
            f"Ukuran kiriman melebihi batas {megabytes}; kirim berkas yang lebih kecil.",
            [{"field": "berkas", "rule": f"paling besar {megabytes}"}],
        )
        await response(scope, receive, send)
