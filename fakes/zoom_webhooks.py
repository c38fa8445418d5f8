"""Zoom's webhook signing, as the fake Zoom sends it.

`x-zm-signature: v0=HMAC_SHA256(secret, "v0:{x-zm-request-timestamp}:{body}")`, and the
`endpoint.url_validation` challenge answered with `encryptedToken = HMAC_SHA256(secret, plainToken)`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time

import httpx


def signature(secret: str, timestamp: str, body: bytes) -> str:
    message = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed(secret: str, payload: dict, timestamp: int | None = None) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(payload, separators=(",", ":")).encode()
    stamp = str(timestamp if timestamp is not None else int(time.time()))
    return body, {
        "content-type": "application/json",
        "x-zm-request-timestamp": stamp,
        "x-zm-signature": signature(secret, stamp, body),
    }


def meeting_event(event: str, meeting: dict, **extra) -> dict:
    obj = {
        "id": meeting["id"],
        "uuid": meeting.get("uuid", ""),
        "host_id": meeting["host_email"],
        "topic": meeting["topic"],
        **extra,
    }
    return {"event": event, "event_ts": int(time.time() * 1000), "payload": {"account_id": "fake", "object": obj}}


async def send(url: str, secret: str, payload: dict) -> httpx.Response:
    body, headers = signed(secret, payload)
    async with httpx.AsyncClient(timeout=10) as http:
        return await http.post(url, content=body, headers=headers)


async def validate(url: str, secret: str) -> bool:
    """Zoom's endpoint check: the receiver must prove it knows the secret token."""
    plain = secrets.token_urlsafe(16)
    answer = await send(
        url,
        secret,
        {"event": "endpoint.url_validation", "event_ts": int(time.time() * 1000), "payload": {"plainToken": plain}},
    )
    expected = hmac.new(secret.encode(), plain.encode(), hashlib.sha256).hexdigest()
    return answer.status_code == 200 and answer.json() == {"plainToken": plain, "encryptedToken": expected}
