"""Intake's own settings, from the environment: where mail and WhatsApp messages go."""
from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class IntakeSettings(BaseSettings):
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
    public_url: str | None = None
    """Where requesters open the status page; defaults to intake's entry in SERVICE_URLS."""
