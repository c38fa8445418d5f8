"""The background loop that sends queued notifications and retries failures; it never blocks a request."""
from __future__ import annotations

import asyncio
from datetime import datetime, timezone

import asyncpg
import structlog

from shared.notifications import outbox
from shared.notifications.contacts import Contacts
from shared.notifications.senders import SendFailed, send_email, send_whatsapp
from shared.notifications.settings import DeliverySettings
from shared.personal_data import record_access
from shared.tenants import TenantProfile

log = structlog.get_logger()


async def deliver_due(pool: asyncpg.Pool, tenants: dict, settings: DeliverySettings, contacts: Contacts) -> int:
    """Send what is due; returns how many messages were tried."""
    async with pool.acquire() as conn, conn.transaction():
        rows = await outbox.due(conn, contacts)
        for row in rows:
            await _deliver_one(conn, row, tenants.get(row["tenant"]), settings)
    return len(rows)


async def _deliver_one(conn: asyncpg.Connection, row, profile: TenantProfile | None,
                       settings: DeliverySettings) -> None:
    unsendable = _why_unsendable(row, profile)
    if unsendable:
        await outbox.mark_dropped(conn, row["id"], unsendable)
        return
    await record_access(conn, tenant=row["tenant"], actor="system:notifications", action="read",
                        subject_refs=[row["contact_ref"]], purpose=f"pemberitahuan {row['channel']}")
    try:
        await _send(row, profile, settings)
    except SendFailed as error:
        log.warning("notification.failed", channel=row["channel"], attempt=row["attempts"] + 1, error=str(error))
        await outbox.mark_failed_attempt(conn, row["id"], row["attempts"], str(error),
                                         settings.notify_max_attempts, datetime.now(timezone.utc))
        return
    await outbox.mark_sent(conn, row["id"])
    log.info("notification.sent", channel=row["channel"], about_id=str(row["about_id"]))


def _why_unsendable(row, profile: TenantProfile | None) -> str | None:
    if profile is None or not row["contact_known"] or row["erased_at"] is not None:
        return "tenant or contact no longer known"
    if not _address(row):
        return f"contact has no {row['channel']} address"
    return None


def _address(row) -> str | None:
    return row["email"] if row["channel"] == "email" else row["whatsapp"]


async def _send(row, profile: TenantProfile, settings: DeliverySettings) -> None:
    if row["channel"] == "email":
        await send_email(settings, profile, row["email"], row["subject"], row["body"])
    else:
        await send_whatsapp(settings, profile, row["whatsapp"], row["body"])


def delivery_loop(contacts: Contacts):
    """The `ServiceSpec.background` loop of a service whose people are kept in `contacts`."""
    async def deliver_notifications(runtime) -> None:
        settings = DeliverySettings()
        while True:
            try:
                tried = await deliver_due(runtime.pool, runtime.tenants, settings, contacts)
            except Exception as error:  # noqa: BLE001  the loop must outlive any one failure
                log.warning("notification.loop_retrying", error=repr(error))
                tried = 0
            if not tried:
                await asyncio.sleep(settings.notify_poll_seconds)

    return deliver_notifications
