"""Uploads that no request claimed are forgotten, checked once an hour in the background."""

from __future__ import annotations

import asyncio

import structlog

from intake.adapters.documents import forget_unattached

log = structlog.get_logger()
CLEANUP_EVERY_SECONDS = 3600


async def forget_unattached_documents(runtime) -> None:
    """ServiceSpec.background: runs until the service stops."""
    while True:
        try:
            async with runtime.pool.acquire() as conn:
                await forget_unattached(conn)
        except Exception as error:  # noqa: BLE001  the next round tries again
            log.warning("documents.cleanup_failed", error=repr(error))
        await asyncio.sleep(CLEANUP_EVERY_SECONDS)
