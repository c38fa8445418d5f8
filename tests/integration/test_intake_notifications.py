"""Notifications to the contact person: queued with the status change, sent later, retried on failure."""
from __future__ import annotations

import asyncio
import socket

import pytest
import uvicorn

from fakes.smtp import CapturingSmtp
from fakes.whatsapp import create_app
from intake.config import IntakeSettings
from intake.service_layer.delivery import deliver_due
from tests.integration.test_intake_requests import KALTARA, intake, submitted  # noqa: F401  fixture

__all__ = ["intake"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
async def gateway():
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


def settings_for(smtp, gateway_url: str) -> IntakeSettings:
    return IntakeSettings(smtp_port=smtp.port, whatsapp_gateway_url=gateway_url, notify_max_attempts=3)


async def test_the_contact_person_gets_an_email_and_a_whatsapp_message(intake, smtp, gateway, monkeypatch):
    app, url = gateway
    monkeypatch.setenv("WHATSAPP_TOKEN_KALTARA", "token-kaltara")
    event = await submitted(intake)

    assert await deliver_due(intake, {"kaltara": KALTARA}, settings_for(smtp, url)) == 2

    [mail] = smtp.messages
    assert mail["To"] == "siti@example.go.id" and event.tracking_code in mail["Subject"]
    assert "Diajukan" in mail.get_content() and mail["From"].addresses[0].display_name == KALTARA.name.replace(",", "")
    [sent] = app.state.sent
    assert (sent["target"], sent["authorization"]) == ("081234567890", "token-kaltara")
    assert f"/t/kaltara/lacak/{event.tracking_code}" in sent["message"]
    async with intake.acquire() as conn:
        assert await conn.fetchval("select count(*) from notifications where state = 'sent'") == 2


async def test_a_failed_send_is_retried_later_and_never_blocks(intake, smtp, gateway):
    app, url = gateway
    app.state.failures_left = 1
    await submitted(intake)
    settings = settings_for(smtp, url)

    await deliver_due(intake, {"kaltara": KALTARA}, settings)
    async with intake.acquire() as conn:
        row = await conn.fetchrow("select state, attempts, last_error, next_attempt_at > now() as later"
                                  " from notifications where channel = 'whatsapp'")
        assert (row["state"], row["attempts"], row["later"]) == ("pending", 1, True)
        assert "HTTP 500" in row["last_error"]
        await conn.execute("update notifications set next_attempt_at = now()")
    await deliver_due(intake, {"kaltara": KALTARA}, settings)

    assert len(app.state.sent) == 1 and app.state.attempts == 2
    assert len(smtp.messages) == 1


async def test_a_gateway_that_keeps_failing_is_given_up_after_the_last_attempt(intake, smtp, gateway):
    app, url = gateway
    app.state.failures_left = 99
    await submitted(intake)
    for _ in range(3):
        await deliver_due(intake, {"kaltara": KALTARA}, settings_for(smtp, url))
        async with intake.acquire() as conn:
            await conn.execute("update notifications set next_attempt_at = now()")

    async with intake.acquire() as conn:
        assert await conn.fetchval("select state from notifications where channel = 'whatsapp'") == "failed"


async def test_a_smtp_server_that_is_down_leaves_the_message_pending(intake, gateway):
    _, url = gateway
    await submitted(intake)
    closed = IntakeSettings(smtp_port=free_port(), whatsapp_gateway_url=url)

    await deliver_due(intake, {"kaltara": KALTARA}, closed)

    async with intake.acquire() as conn:
        assert await conn.fetchval("select state from notifications where channel = 'email'") == "pending"
        assert await conn.fetchval("select state from notifications where channel = 'whatsapp'") == "sent"
