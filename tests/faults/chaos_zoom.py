"""The fake Zoom (fakes/zoom.py) with switches the fault suite needs: slow, then failing, for a while.

`POST /_chaos/slow?seconds=&delay=`: every API call (OAuth included) waits `delay` seconds, for
the next `seconds`. `POST /_chaos/fail?seconds=`: every API call answers 503 for the next `seconds`
(nothing is created). `GET /_chaos/meetings`: every meeting the fake holds, with its host and
agenda (where provisioning puts the request's marker `[vidcon:<request_id>]`).
Run with `python -m tests.faults.chaos_zoom` (PORT from the environment).
"""

from __future__ import annotations

import asyncio
import os
import time

from fastapi import Request
from fastapi.responses import JSONResponse

from fakes.zoom import create_app


def create_chaos_app():
    app = create_app(daily_cap=int(os.environ.get("ZOOM_DAILY_CAP", "100000")))
    chaos = {"slow_until": 0.0, "delay": 0.0, "fail_until": 0.0, "failed": 0, "slowed": 0}

    @app.middleware("http")
    async def misbehave(request: Request, call_next):
        path = request.url.path
        if path.startswith("/v2/") or path.startswith("/oauth/"):
            now = time.time()
            if now < chaos["fail_until"]:
                chaos["failed"] += 1
                return JSONResponse({"code": 503, "message": "Service temporarily unavailable"}, 503)
            if now < chaos["slow_until"]:
                chaos["slowed"] += 1
                await asyncio.sleep(chaos["delay"])
        return await call_next(request)

    @app.post("/_chaos/slow")
    async def slow(seconds: float, delay: float):
        chaos["slow_until"], chaos["delay"] = time.time() + seconds, delay

    @app.post("/_chaos/fail")
    async def fail(seconds: float):
        chaos["fail_until"] = time.time() + seconds

    @app.get("/_chaos/meetings")
    async def meetings():
        fake = app.state.fake
        return {
            "meetings": [
                {"id": m["id"], "host": m["host_email"], "agenda": m["agenda"]} for m in fake.meetings.values()
            ],
            "failed": chaos["failed"],
            "slowed": chaos["slowed"],
            "calls": fake.calls,
        }

    return app


if __name__ == "__main__":
    import uvicorn

    uvicorn.run(create_chaos_app(), host="127.0.0.1", port=int(os.environ.get("PORT", "9901")), log_level="warning")
