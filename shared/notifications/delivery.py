"""The background loop that sends queued notifications and retries failures; it never blocks a request.

No transaction is open while a mail or WhatsApp message goes out. Each message goes through:

1. claim: one short transaction takes a batch of due rows (`for update skip locked`), drops
   what cannot be sent, and marks the rest `sending` with their attempt counted and a lease;
   it commits before anything is sent;
2. send, outside any transaction, several messages at once (`NOTIFY_CONCURRENCY`), each bounded
   by `NOTIFY_SEND_TIMEOUT_SECONDS`, carrying the notification's stable key;
3. record the result (sent, or failed and due again after the backoff, or given up) in a
   statement of its own; while PostgreSQL is away the recording is retried with capped
   backoff, never the send.

A claim whose lease runs out unrecorded (its process stopped mid-send) is claimed and sent
again with the same key: at least once across such a crash, exactly once otherwise.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Coroutine, cast

import asyncpg
import structlog
from opentelemetry.trace import SpanKind

from shared.clock import utc_now
from shared.notifications import outbox
from shared.notifications.contacts import Contacts
from shared.notifications.senders import SendFailed, WhatsAppGateway, send_email
from shared.notifications.settings import DeliverySettings
from shared.personal_data import record_access
from shared.supervision import Backoff
from shared.tenants import TenantProfile
from shared.tracing import continued, stored_carrier

if TYPE_CHECKING:
    from shared.runtime import Runtime

log = structlog.get_logger()

# What a recording may meet while PostgreSQL restarts or a connection is killed: retried.
DATABASE_AWAY = (
    OSError,
    asyncpg.PostgresConnectionError,
    asyncpg.OperatorInterventionError,
    asyncpg.InterfaceError,
    asyncpg.InternalClientError,
)
KEY_NAMESPACE = uuid.UUID("d421a1c6-e3cf-43f2-b83f-63d3fea58aac")
LEASE_EXPIRED_ON_LAST_ATTEMPT = "the last attempt's process stopped mid-send; it may have been delivered"


@dataclass(frozen=True)
class Claim:
    """A row this process marked `sending`, with the attempt it counts as."""

    row: asyncpg.Record
    profile: TenantProfile

    @property
    def attempt(self) -> int:
        return cast("int", self.row["attempts"] + 1)

    @property
    def key(self) -> str:
        return notification_key(self.row)


def notification_key(row: asyncpg.Record) -> str:
    """The same for every attempt at one notification, and unique across services' outboxes
    (derived from its id and the columns that make it unique: cause, channel, contact)."""
    return str(uuid.uuid5(KEY_NAMESPACE, f"{row['id']}/{row['cause_id']}/{row['channel']}/{row['contact_ref']}"))


async def deliver_due(
    pool: asyncpg.Pool, tenants: dict[str, Any], settings: DeliverySettings, contacts: Contacts
) -> int:
    """Claim what is due, send it and record each result; returns how many messages were tried."""
    taken, claims = await claim_due(pool, tenants, settings, contacts, settings.notify_concurrency)
    async with WhatsAppGateway() as whatsapp:
        await asyncio.gather(*(send_and_record(pool, claim, settings, whatsapp) for claim in claims))
    return taken


async def claim_due(
    pool: asyncpg.Pool, tenants: dict[str, Any], settings: DeliverySettings, contacts: Contacts, limit: int
) -> tuple[int, list[Claim]]:
    """One short transaction over at most `limit` due rows: (how many it took, the claims to send)."""
    claims = []
    async with pool.acquire() as conn, conn.transaction():
        rows = await outbox.due(conn, contacts, limit)
        for row in rows:
            profile = tenants.get(row["tenant"])
            unsendable = _why_unsendable(row, profile)
            if unsendable:
                await outbox.mark_dropped(conn, row["id"], unsendable)
            elif row["state"] == "sending" and row["attempts"] >= settings.notify_max_attempts:
                await outbox.mark_failed_attempt(
                    conn,
                    row["id"],
                    row["attempts"],
                    LEASE_EXPIRED_ON_LAST_ATTEMPT,
                    settings.notify_max_attempts,
                    utc_now(),
                )
            else:
                await record_access(
                    conn,
                    tenant=row["tenant"],
                    actor="system:notifications",
                    action="read",
                    subject_refs=[row["contact_ref"]],
                    purpose=f"pemberitahuan {row['channel']}",
                )
                assert profile is not None, "unsendable without one, above"
                claims.append(Claim(row, profile))
        if claims:
            await outbox.claim(conn, [claim.row["id"] for claim in claims], settings.notify_lease_seconds)
    return len(rows), claims


async def send_and_record(
    pool: asyncpg.Pool, claim: Claim, settings: DeliverySettings, whatsapp: WhatsAppGateway
) -> None:
    """Send one claimed message outside any transaction, then record what came of it; in a span
    of the trace of the change it tells of (channel and attempt only: no address, no text)."""
    row = claim.row
    with continued(
        stored_carrier(row["trace_context"]),
        f"notify {row['channel']}",
        SpanKind.PRODUCER,
        {"vidcon.notification.channel": row["channel"], "vidcon.notification.attempt": claim.attempt},
    ):
        await _send_and_record(pool, claim, settings, whatsapp)


async def _send_and_record(
    pool: asyncpg.Pool, claim: Claim, settings: DeliverySettings, whatsapp: WhatsAppGateway
) -> None:
    row = claim.row
    try:
        await asyncio.wait_for(_send(claim, settings, whatsapp), settings.notify_send_timeout_seconds)
    except Exception as error:  # noqa: BLE001  whatever went wrong, the attempt is counted and retried later
        reason = _reason(error, row["channel"], settings)
        log.warning("notification.failed", channel=row["channel"], attempt=claim.attempt, error=reason)
        await _record(
            claim,
            lambda: outbox.mark_failed_attempt(
                pool, row["id"], claim.attempt, reason, settings.notify_max_attempts, utc_now()
            ),
        )
        return
    if await _record(claim, lambda: outbox.mark_sent(pool, row["id"], claim.attempt)):
        log.info("notification.sent", channel=row["channel"], about_id=str(row["about_id"]))


async def _record(claim: Claim, write: Callable[[], Awaitable[bool]]) -> bool:
    """Run `write` until PostgreSQL takes it; False if a newer claim had taken the row over."""
    backoff = Backoff(first=0.2, cap=5.0)
    while True:
        try:
            recorded = await write()
        except DATABASE_AWAY as error:
            delay = backoff.next()
            log.warning(
                "notification.record_retrying",
                id=claim.row["id"],
                attempt=claim.attempt,
                error=repr(error),
                retry_in_seconds=delay,
            )
            await asyncio.sleep(delay)
            continue
        if not recorded:
            log.warning("notification.claim_superseded", id=claim.row["id"], attempt=claim.attempt)
        return recorded


def _reason(error: Exception, channel: str, settings: DeliverySettings) -> str:
    if isinstance(error, SendFailed):
        return str(error)
    if isinstance(error, TimeoutError):
        return f"{channel}: no answer within {settings.notify_send_timeout_seconds:g} s"
    return f"{channel}: {error!r}"


def _why_unsendable(row: asyncpg.Record, profile: TenantProfile | None) -> str | None:
    if profile is None or not row["contact_known"] or row["erased_at"] is not None:
        return "tenant or contact no longer known"
    if not _address(row):
        return f"contact has no {row['channel']} address"
    return None


def _address(row: asyncpg.Record) -> str | None:
    return cast("str | None", row["email"] if row["channel"] == "email" else row["whatsapp"])


async def _send(claim: Claim, settings: DeliverySettings, whatsapp: WhatsAppGateway) -> None:
    row = claim.row
    if row["channel"] == "email":
        await send_email(settings, claim.profile, row["email"], row["subject"], row["body"], claim.key)
    else:
        await whatsapp.send(settings, claim.profile, row["whatsapp"], row["body"], claim.key)


def delivery_loop(contacts: Contacts) -> Callable[[Runtime], Coroutine[Any, Any, None]]:
    """The `ServiceSpec.background` loop of a service whose people are kept in `contacts`: it keeps
    up to `NOTIFY_CONCURRENCY` sends in flight and claims more as soon as one ends, so one slow
    mail server or gateway holds only its own messages. Stopped, it abandons its sends in flight;
    their leases run out and they are sent again, with the same key."""

    async def deliver_notifications(runtime: Runtime) -> None:
        async with WhatsAppGateway() as whatsapp:  # closed only once the sends in flight are cancelled
            await _keep_sending(runtime, DeliverySettings(), contacts, whatsapp)

    return deliver_notifications


async def _keep_sending(
    runtime: Runtime, settings: DeliverySettings, contacts: Contacts, whatsapp: WhatsAppGateway
) -> None:
    sending: set[asyncio.Task[Any]] = set()
    try:
        while True:
            room = settings.notify_concurrency - len(sending)
            taken = await _start_sends(runtime, settings, contacts, room, sending, whatsapp) if room > 0 else 0
            if not taken:
                await _pause(sending, settings.notify_poll_seconds)
    finally:
        for task in sending:
            task.cancel()
        await asyncio.gather(*sending, return_exceptions=True)


async def _start_sends(
    runtime: Runtime,
    settings: DeliverySettings,
    contacts: Contacts,
    room: int,
    sending: set[asyncio.Task[Any]],
    whatsapp: WhatsAppGateway,
) -> int:
    try:
        taken, claims = await claim_due(runtime.pool, runtime.tenants, settings, contacts, room)
    except Exception as error:  # noqa: BLE001  the loop must outlive any one failure
        log.warning("notification.loop_retrying", error=repr(error))
        return 0
    for claim in claims:
        task = asyncio.create_task(
            send_and_record(runtime.pool, claim, settings, whatsapp), name=f"notification:{claim.row['id']}"
        )
        sending.add(task)
        task.add_done_callback(lambda done: _finished(done, sending))
    return taken


def _finished(task: asyncio.Task[Any], sending: set[asyncio.Task[Any]]) -> None:
    sending.discard(task)
    if not task.cancelled() and task.exception() is not None:
        # its claim stays `sending` until the lease runs out, then the message is sent again
        log.error("notification.record_failed", task=task.get_name(), error=repr(task.exception()))


async def _pause(sending: set[asyncio.Task[Any]], seconds: float) -> None:
    """Until a send in flight ends (room for another) or `seconds` pass (something may be due)."""
    if sending:
        await asyncio.wait(sending, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    else:
        await asyncio.sleep(seconds)
