"""The public feed: every internal event that has a public contract, published to the agencies'
stream (VIDCON_PUBLIC in the EXTERNAL account, through the service import of `vidcon_public.>`).

A durable consumer like any other, so a restart, an outage of NATS or of the agencies' stream
pauses the feed and loses nothing; the acknowledgement of the agencies' stream is awaited before
the event counts as delivered, and `Nats-Msg-Id` = event id drops the copy a redelivery sends again.
"""

from __future__ import annotations

import asyncpg

from shared.events.public import public_copy
from shared.events.public.mapping import is_public
from shared.messaging import Consumer, Delivery, Selective
from shared.messaging.public_feed import publish_copy


def public_feed(runtime) -> Consumer:
    async def publish(conn: asyncpg.Connection, delivery: Delivery) -> None:
        await publish_copy(runtime.nc.jetstream(), *public_copy(delivery.envelope, delivery.event))

    return Consumer("reporting", "public-feed", "vidcon.>", Selective(publish, is_public))
