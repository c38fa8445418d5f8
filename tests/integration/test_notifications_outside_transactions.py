"""No transaction is open while a notification goes out: a claim commits first, the result is
recorded afterwards, a lost connection loses no result and sends nothing twice, and a send
repeated after a crash carries the same Message-ID or Idempotency-Key."""

from __future__ import annotations

import asyncio
import time
import uuid
from types import SimpleNamespace
from urllib.parse import urlsplit

import asyncpg
import pytest

from complaints.adapters.notifications import COMPLAINANTS
from shared.notifications import DeliverySettings, deliver_due, enqueue
from tests.integration.helpers import wait_until
from tests.integration.test_complaints_notifications import (
    KALTARA,
    complainant,
    complaints,  # noqa: F401  fixture
    complaints_delivery_loop,
)

__all__ = ["complaints"]

LOOP = "vidcon-notifications-under-test"
TENANTS = {"kaltara": KALTARA}


class Cuttable:
    """A TCP proxy in front of PostgreSQL: `cut()` drops its connections and refuses new ones
    (PostgreSQL away, as far as its clients can tell) until `restore()`."""

    def __init__(self, port: int):
        self.target, self.port, self.server, self.writers = port, 0, None, set()

    async def restore(self) -> None:
        self.server = await asyncio.start_server(self._pipe_both, "127.0.0.1", self.port)
        self.port = self.server.sockets[0].getsockname()[1]

    async def cut(self) -> None:
        self.server.close()
        for writer in list(self.writers):
            writer.transport.abort()
        await self.server.wait_closed()

    async def _pipe_both(self, reader, writer) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target)
        self.writers |= {writer, up_writer}
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer), return_exceptions=True)
        self.writers -= {writer, up_writer}

    @staticmethod
    async def _pipe(reader, writer) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        finally:
            writer.transport.abort()


@pytest.fixture
async def proxy(database_url):
    cuttable = Cuttable(urlsplit(database_url).port)
    await cuttable.restore()
    yield cuttable
    await cuttable.cut()


@pytest.fixture
async def loop_pool(complaints, database_url, schema, proxy):
    """The delivery loop's own pool, through the proxy, its backends named so that the test can
    find and kill them."""
    url = urlsplit(database_url)._replace(netloc=f"{urlsplit(database_url).username}@127.0.0.1:{proxy.port}")
    pool = await asyncpg.create_pool(
        url.geturl(), min_size=1, max_size=4, server_settings={"search_path": schema, "application_name": LOOP}
    )
    yield pool
    await pool.close()


@pytest.fixture
def delivery_env(smtp, gateway, monkeypatch):
    monkeypatch.setenv("SMTP_PORT", str(smtp.port))
    monkeypatch.setenv("WHATSAPP_GATEWAY_URL", gateway[1])
    monkeypatch.setenv("NOTIFY_POLL_SECONDS", "0.05")
    monkeypatch.setenv("WHATSAPP_TOKEN_KALTARA", "token-kaltara")


async def queue(pool, contact_ref: str, channel: str) -> None:
    async with pool.acquire() as conn:
        await enqueue(
            conn,
            tenant="kaltara",
            about_id=str(uuid.uuid4()),
            cause_id=str(uuid.uuid4()),
            channel=channel,
            contact_ref=contact_ref,
            subject="Pengaduan Anda dijawab",
            body=f"Jawaban lewat {channel}",
        )


def holding(smtp):
    async def held() -> bool:
        return smtp.holding.is_set()

    return held


async def states(pool) -> list[tuple[str, str, int]]:
    return [tuple(row) for row in await pool.fetch("select channel, state, attempts from notifications order by id")]


async def loop_transactions_open_since(pool, since) -> int:
    """The loop's backends in a transaction begun at or before `since` (its claims' own
    transactions are short, and every 50 ms a new one begins)."""
    return await pool.fetchval(
        "select count(*) from pg_stat_activity where application_name = $1"
        " and state like 'idle in transaction%' and xact_start <= $2",
        LOOP,
        since,
    )


async def test_a_connection_lost_during_a_slow_send_sends_the_mail_once_and_records_it(
    complaints, loop_pool, proxy, smtp, delivery_env
):
    budi = await complainant(complaints, "budi@example.org", None)
    await queue(complaints, budi, "email")
    smtp.hold("budi@example.org")

    async with complaints_delivery_loop(SimpleNamespace(pool=loop_pool, tenants=TENANTS)):
        await wait_until(holding(smtp))
        await proxy.cut()
        await complaints.execute(
            "select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1", LOOP
        )
        smtp.release()
        await asyncio.sleep(1.5)  # the mail went out, and the loop cannot reach PostgreSQL to record it
        during_outage = await complaints.fetchval("select state from notifications")
        await proxy.restore()
        await wait_until(lambda: complaints.fetchval("select state = 'sent' from notifications"))
        await asyncio.sleep(1.0)  # room for a second send, if the loop were to make one

    assert len(smtp.messages) == 1
    assert during_outage == "sending"  # claimed and committed before the send; the result waited for PostgreSQL
    assert await states(complaints) == [("email", "sent", 1)]


async def test_no_transaction_is_open_while_a_slow_server_holds_a_mail_and_other_messages_go_on(
    complaints, loop_pool, smtp, gateway, delivery_env
):
    app, _ = gateway
    slow = await complainant(complaints, "lambat@example.org", None)
    fast = await complainant(complaints, "cepat@example.org", "081298765432")
    await queue(complaints, slow, "email")
    smtp.hold("lambat@example.org")

    async with complaints_delivery_loop(SimpleNamespace(pool=loop_pool, tenants=TENANTS)):
        await wait_until(holding(smtp))
        held_since = await complaints.fetchval("select clock_timestamp()")
        await asyncio.sleep(0.3)
        assert await loop_transactions_open_since(complaints, held_since) == 0, "a transaction is open during the send"
        queued_at = time.monotonic()
        await queue(complaints, fast, "email")
        await queue(complaints, fast, "whatsapp")
        await wait_until(
            lambda: complaints.fetchval("select count(*) = 2 from notifications where state = 'sent'"), timeout=5
        )
        took = time.monotonic() - queued_at
        still_held = smtp.holding.is_set()
        open_after = await loop_transactions_open_since(complaints, held_since)
        smtp.release()
        await wait_until(lambda: complaints.fetchval("select count(*) = 3 from notifications where state = 'sent'"))

    assert open_after == 0
    assert still_held and took < 3.0, f"the fast messages took {took:.2f} s behind the slow one"
    assert sorted(mail["To"] for mail in smtp.messages) == ["cepat@example.org", "lambat@example.org"]
    assert [sent["target"] for sent in app.state.sent] == ["081298765432"]


async def test_a_send_repeated_after_its_lease_ran_out_carries_the_same_message_id_and_key(complaints, smtp, gateway):
    app, url = gateway
    settings = DeliverySettings(
        smtp_port=smtp.port, whatsapp_gateway_url=url, notify_lease_seconds=5.0, notify_send_timeout_seconds=4.0
    )
    budi = await complainant(complaints, "budi@example.org", "081298765432")
    await queue(complaints, budi, "email")
    await queue(complaints, budi, "whatsapp")
    smtp.hold("budi@example.org")
    app.state.hold = asyncio.Event()

    crashed = asyncio.create_task(deliver_due(complaints, TENANTS, settings, COMPLAINANTS))
    await wait_until(holding(smtp))
    await wait_until(lambda: asyncio.sleep(0, len(app.state.sent) == 1))
    crashed.cancel()  # the process stops while both messages are out, before their results are recorded
    await asyncio.gather(crashed, return_exceptions=True)
    smtp.release()
    app.state.hold.set()
    assert await states(complaints) == [("email", "sending", 1), ("whatsapp", "sending", 1)]
    assert await deliver_due(complaints, TENANTS, settings, COMPLAINANTS) == 0  # leased: not sent again yet

    retried = await wait_until(
        lambda: deliver_due(complaints, TENANTS, settings, COMPLAINANTS), timeout=15, interval=0.2
    )
    assert retried == 2  # both leases ran out together

    first, again = smtp.messages
    assert first["Message-ID"] and first["Message-ID"] == again["Message-ID"]
    assert first["Message-ID"].endswith("@localhost>")
    [key, same] = app.state.keys
    assert key and key == same
    assert len(app.state.sent) == 1  # the gateway knew the key and sent nothing twice
    assert await states(complaints) == [("email", "sent", 2), ("whatsapp", "sent", 2)]


async def test_a_lease_that_ran_out_on_the_last_attempt_is_given_up_not_sent_again(complaints, smtp, gateway):
    settings = DeliverySettings(smtp_port=smtp.port, whatsapp_gateway_url=gateway[1], notify_max_attempts=3)
    budi = await complainant(complaints, "budi@example.org", None)
    await queue(complaints, budi, "email")
    await complaints.execute(
        "update notifications set state = 'sending', attempts = 3, claimed_until = now() - interval '1 second'"
    )

    assert await deliver_due(complaints, TENANTS, settings, COMPLAINANTS) == 1

    assert smtp.messages == []
    row = await complaints.fetchrow("select state, attempts, last_error from notifications")
    assert (row["state"], row["attempts"]) == ("failed", 3) and "may have been delivered" in row["last_error"]
