"""Intake's own settings, from the environment (mail and WhatsApp: shared.notifications.DeliverySettings)."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class IntakeSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    public_url: str | None = None
    """Where requesters open the status page; defaults to intake's entry in SERVICE_URLS."""
