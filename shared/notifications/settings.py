"""Where mail and WhatsApp messages go and how the outbox retries, from the environment."""
from __future__ import annotations

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
