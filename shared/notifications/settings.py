"""Where mail and WhatsApp messages go and how the outbox retries, from the environment."""

from __future__ import annotations

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class DeliverySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    smtp_host: str = "127.0.0.1"
    smtp_port: int = 2525
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    mail_from_address: str = "vidcon@localhost"
    whatsapp_gateway_url: str = "http://127.0.0.1:9902"
    notify_poll_seconds: float = 1.0
    notify_max_attempts: int = 8
    # How many messages are in flight at once (sent concurrently, each outside any transaction).
    notify_concurrency: int = 10
    # One send as a whole (connect, SMTP dialogue or HTTP call) may take this long; then it has failed.
    notify_send_timeout_seconds: float = 60.0
    # A claim not recorded by then (its process stopped mid-send) is sent again, with the same key.
    notify_lease_seconds: float = 300.0

    @model_validator(mode="after")
    def _lease_outlives_a_send(self) -> "DeliverySettings":
        if self.notify_lease_seconds <= self.notify_send_timeout_seconds:
            raise ValueError(
                "NOTIFY_LEASE_SECONDS must exceed NOTIFY_SEND_TIMEOUT_SECONDS, or a live send"
                " could be claimed and sent again by another replica"
            )
        if self.notify_concurrency < 1:
            raise ValueError("NOTIFY_CONCURRENCY must be at least 1")
        return self
