"""Idempotency-Key: the first request with a key stores its answer; repeats get the same answer.

The key row is inserted first, inside the request's transaction: a concurrent request with the
same key waits on that row and, once the first commits, finds it. A refused request rolls the
key back with everything else, so the key can be used again for a corrected request.
"""

from __future__ import annotations

import hashlib
import json

import asyncpg

from shared.domain import DomainRuleBroken


def fingerprint(body: dict) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


async def claim_key(conn: asyncpg.Connection, tenant: str, key: str, body_fingerprint: str) -> dict | None:
    """None when the key is new (and now held); the stored answer when it was used before."""
    inserted = await conn.fetchval(
        "insert into idempotency_keys (tenant, key, fingerprint) values ($1, $2, $3)"
        " on conflict do nothing returning true",
        tenant,
        key,
        body_fingerprint,
    )
    if inserted:
        return None
    row = await conn.fetchrow(
        "select fingerprint, response from idempotency_keys where tenant = $1 and key = $2", tenant, key
    )
    if row["fingerprint"] != body_fingerprint:
        raise DomainRuleBroken(
            "Idempotency-Key", "kunci ini sudah dipakai untuk permohonan dengan isi berbeda", status=422
        )
    return json.loads(row["response"])


async def remember_response(conn: asyncpg.Connection, tenant: str, key: str, response: dict) -> None:
    await conn.execute(
        "update idempotency_keys set response = $3 where tenant = $1 and key = $2", tenant, key, json.dumps(response)
    )
