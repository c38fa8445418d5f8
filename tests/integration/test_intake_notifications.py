"""Notifications to the contact person: queued with the status change, sent later, retried on failure."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

from intake.adapters.contacts import CONTACTS
from shared.embedded import free_port
from shared.notifications import DeliverySettings, deliver_due, delivery_loop
from tests.integration.helpers import wait_until
from tests.integration.test_intake_requests import KALTARA, intake, submitted  # noqa: F401  fixture

__all__ = ["intake"]


def settings_for(smtp, gateway_url: str) -> DeliverySettings:
    return DeliverySettings(smtp_port=smtp.port, whatsapp_gateway_url=gateway_url, notify_max_attempts=3)


async def test_the_contact_person_gets_an_email_and_a_whatsapp_message(intake, smtp, gateway, monkeypatch):
    app, url = gateway
    monkeypatch.setenv("WHATSAPP_TOKEN_KALTARA", "token-kaltara")
    event = await submitted(intake)

    assert await deliver_due(intake, {"kaltara": KALTARA}, settings_for(smtp, url), CONTACTS) == 2

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

    await deliver_due(intake, {"kaltara": KALTARA}, settings, CONTACTS)
    async with intake.acquire() as conn:
        row = await conn.fetchrow(
            "select state, attempts, last_error, next_attempt_at > now() as later"
            " from notifications where channel = 'whatsapp'"
        )
        assert (row["state"], row["attempts"], row["later"]) == ("pending", 1, True)
        assert "HTTP 500" in row["last_error"]
        await conn.execute("update notifications set next_attempt_at = now()")
    await deliver_due(intake, {"kaltara": KALTARA}, settings, CONTACTS)

    assert len(app.state.sent) == 1 and app.state.attempts == 2
    assert len(smtp.messages) == 1


async def test_a_gateway_that_keeps_failing_is_given_up_after_the_last_attempt(intake, smtp, gateway):
    app, url = gateway
    app.state.failures_left = 99
    await submitted(intake)
    for _ in range(3):
        await deliver_due(intake, {"kaltara": KALTARA}, settings_for(smtp, url), CONTACTS)
        async with intake.acquire() as conn:
            await conn.execute("update notifications set next_attempt_at = now()")

    async with intake.acquire() as conn:
        assert await conn.fetchval("select state from notifications where channel = 'whatsapp'") == "failed"


async def test_a_smtp_server_that_is_down_leaves_the_message_pending(intake, gateway):
    _, url = gateway
    await submitted(intake)
    closed = DeliverySettings(smtp_port=free_port(), whatsapp_gateway_url=url)

    await deliver_due(intake, {"kaltara": KALTARA}, closed, CONTACTS)

    async with intake.acquire() as conn:
        assert await conn.fetchval("select state from notifications where channel = 'email'") == "pending"
        assert await conn.fetchval("select state from notifications where channel = 'whatsapp'") == "sent"


async def test_the_delivery_loop_sends_every_whatsapp_message_over_one_kept_connection(
    intake, smtp, gateway, monkeypatch
):
    app, url = gateway
    monkeypatch.setenv("SMTP_PORT", str(smtp.port))
    monkeypatch.setenv("WHATSAPP_GATEWAY_URL", url)
    monkeypatch.setenv("NOTIFY_POLL_SECONDS", "0.05")

    async def sent(count: int) -> bool:
        return len(app.state.sent) == count

    loop = asyncio.create_task(delivery_loop(CONTACTS)(SimpleNamespace(pool=intake, tenants={"kaltara": KALTARA})))
    try:
        for count in (1, 2, 3):
            await submitted(intake)
            await wait_until(lambda count=count: sent(count))
    finally:
        loop.cancel()
        await asyncio.gather(loop, return_exceptions=True)

    assert len({sent["connection"] for sent in app.state.sent}) == 1
