"""Sending to a contact person: SMTP (aiosmtplib) and a Fonnte-style WhatsApp gateway (httpx).

Each send carries the notification's stable key, so that a send repeated after a crash can be
recognised: as the mail's `Message-ID`, and as the gateway call's `Idempotency-Key` header.
"""

from __future__ import annotations

from typing import Any
import os
from email.message import EmailMessage
from email.utils import formataddr, parseaddr

import aiosmtplib
import httpx

from shared.notifications.settings import DeliverySettings
from shared.tenants import TenantProfile

TIMEOUT_SECONDS = 10


class SendFailed(Exception):
    pass


async def send_email(
    settings: DeliverySettings, profile: TenantProfile, to: str, subject: str, body: str, key: str
) -> None:
    message = EmailMessage()
    message["From"] = profile.notifications.email_from or formataddr((sender_name(profile), settings.mail_from_address))
    message["To"], message["Subject"] = to, subject
    message["Message-ID"] = message_id(key, message["From"])
    message.set_content(body)
    try:
        await aiosmtplib.send(
            message,
            hostname=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_username,
            password=settings.smtp_password,
            start_tls=settings.smtp_starttls,
            timeout=TIMEOUT_SECONDS,
        )
    except (aiosmtplib.SMTPException, OSError, ValueError) as error:
        raise SendFailed(f"smtp: {error!r}") from error


def message_id(key: str, from_address: str) -> str:
    """`<key@domain of the sender>`: the same for every send of one notification (RFC 5322 3.6.4)."""
    domain = parseaddr(from_address)[1].rpartition("@")[2] or "localhost"
    return f"<{key}@{domain}>"


def sender_name(profile: TenantProfile) -> str:
    """The department's name without commas: Python's header folding drops the quotes a comma needs."""
    return " ".join(profile.name.replace(",", " ").split())


class WhatsAppGateway:
    """Sends WhatsApp messages through one HTTP client, kept open while its loop runs: a client
    made per message (and with it a TLS context) took a third of intake's CPU under load."""

    def __init__(self) -> None:
        self.http = httpx.AsyncClient(timeout=TIMEOUT_SECONDS)

    async def __aenter__(self) -> WhatsAppGateway:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.http.aclose()

    async def send(self, settings: DeliverySettings, profile: TenantProfile, to: str, body: str, key: str) -> None:
        """`POST {gateway}/send` with `Authorization: <token>`, `Idempotency-Key: <key>` and form fields
        target, message, countryCode."""
        config = profile.notifications
        url = (config.whatsapp_gateway_url or settings.whatsapp_gateway_url).rstrip("/") + "/send"
        token = os.environ.get(config.whatsapp_token_env or "", "")
        try:
            response = await self.http.post(
                url,
                headers={"Authorization": token, "Idempotency-Key": key},
                data={"target": to, "message": body, "countryCode": "62"},
            )
        except httpx.HTTPError as error:
            raise SendFailed(f"whatsapp: {error!r}") from error
        answer = _json_or_empty(response)
        if response.status_code >= 300 or answer.get("status") is False:
            raise SendFailed(f"whatsapp: HTTP {response.status_code} {answer.get('reason', response.text[:200])}")


def _json_or_empty(response: httpx.Response) -> dict[str, Any]:
    try:
        answer = response.json()
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}
