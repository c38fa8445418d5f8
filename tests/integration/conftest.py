"""The local mail server and WhatsApp gateway that notification tests send to."""

from __future__ import annotations

import asyncio

import pytest
import uvicorn

from fakes.smtp import CapturingSmtp
from fakes.whatsapp import create_app
from shared.embedded import free_port


@pytest.fixture
async def gateway():
    """(the fake gateway's app, whose `state.sent` lists the sends, and its URL)"""
    app, port = create_app(), free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.05)
    yield app, f"http://127.0.0.1:{port}"
    server.should_exit = True
    await task


@pytest.fixture
def smtp():
    with CapturingSmtp() as server:
        yield server
