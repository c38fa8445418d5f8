"""The fake Zoom API served in-process by uvicorn on a free loopback port, for tests and tools."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager

import uvicorn

from fakes.zoom import create_app
from shared.embedded import free_port


@asynccontextmanager
async def fake_zoom(**options):
    """Yields (base URL, app); `app.state.fake` is the fake's memory and switches."""
    app, port = create_app(**options), free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}", app
    finally:
        server.should_exit = True
        await task
