"""Zoom webhooks: `x-zm-signature` checked with the app's secret token, and the URL challenge."""

from __future__ import annotations

import hashlib
import hmac
import time

FRESH_SECONDS = 300


def signature_valid(secret: str, timestamp: str, body: bytes, signature: str, now: float | None = None) -> bool:
    """`v0=HMAC_SHA256(secret, "v0:{timestamp}:{body}")`, and no older than five minutes (no replays)."""
    try:
        age = abs((now if now is not None else time.time()) - int(timestamp))
    except ValueError:
        return False
    expected = "v0=" + hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    return age <= FRESH_SECONDS and hmac.compare_digest(expected, signature)


def url_validation_answer(secret: str, plain_token: str) -> dict:
    encrypted = hmac.new(secret.encode(), plain_token.encode(), hashlib.sha256).hexdigest()
    return {"plainToken": plain_token, "encryptedToken": encrypted}
