"""The background loop that sends queued notifications and retries failures; it never blocks a request."""
from __future__ import annotations

import asyncio
from datetime import datetime, timezone

import asyncpg

from shared.personal_data import record_access
import structlog

from intake.adapters import notifications as outbox
from intake.adapters.documents import forget_unattached
from intake.adapters.senders import SendFailed, send_email, send_whatsapp
from intake.config import IntakeSettings

log = structlog.get_logger()
CLEANUP_EVERY_SECONDS = 3600


async def deliver_due(pool: asyncpg.Pool, tenants: dict, settings: IntakeSettings) -> int:
    """Send what is due; returns how many messages were tried."""
    async with pool.acquire() as conn, conn.transaction():
        rows = await outbox.due(conn)
        for row in rows:
            await _deliver_one(conn, row, tenants, settings)
    return len(rows)


async def _deliver_one(conn: asyncpg.Connection, row, tenants: dict, settings: IntakeSettings) -> None:
    profile = tenants.get(row["tenant"])
    if profile is None or row["erased_at"] is not None or row["email"] is None:
        await outbox.mark_dropped(conn, row["id"], "tenant or contact no longer known")
        return
    await record_access(conn, tenant=row["tenant"], actor="system:notifications", action="read",
                        subject_refs=[row["contact_ref"]], purpose=f"pemberitahuan {row['channel']}")
    try:
        if row["channel"] == "email":
            await send_email(settings, profile, row["email"], row["subject"], row["body"])
        else:
            await send_whatsapp(settings, profile, row["whatsapp"], row["body"])
    except SendFailed as error:
        log.warning("notification.failed", channel=row["channel"], attempt=row["attempts"] + 1, error=str(error))
        await outbox.mark_failed_attempt(conn, row["id"], row["attempts"], str(error),
                                         settings.notify_max_attempts, datetime.now(timezone.utc))
        return
    await outbox.mark_sent(conn, row["id"])
    log.info("notification.sent", channel=row["channel"], request_id=str(row["request_id"]))


async def deliver_notifications(runtime) -> None:
    """ServiceSpec.background: runs until the service stops."""
    settings = IntakeSettings()
    last_cleanup = 0.0
    while True:
        try:
            tried = await deliver_due(runtime.pool, runtime.tenants, settings)
            if asyncio.get_running_loop().time() - last_cleanup > CLEANUP_EVERY_SECONDS:
                async with runtime.pool.acquire() as conn:
                    await forget_unattached(conn)
                last_cleanup = asyncio.get_running_loop().time()
        except Exception as error:  # noqa: BLE001  the loop must outlive any one failure
            log.warning("notification.loop_retrying", error=repr(error))
            tried = 0
        if not tried:
            await asyncio.sleep(settings.notify_poll_seconds)
