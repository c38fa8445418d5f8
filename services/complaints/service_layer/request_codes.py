"""A complaint may name the request it is about by the tracking code its contact person has."""

from __future__ import annotations

import asyncpg

from shared.messaging import Delivery


async def remember_request_code(conn: asyncpg.Connection, delivery: Delivery) -> None:
    await conn.execute(
        "insert into request_codes (tenant, tracking_code, request_id) values ($1, $2, $3) on conflict do nothing",
        delivery.envelope.tenant,
        delivery.event.tracking_code,
        delivery.event.request_id,
    )
