"""Settings read from the environment (one set for every service)."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
SERVICES = ("intake", "approval", "provisioning", "reporting", "complaints")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    nats_url: str = "nats://127.0.0.1:4222"
    nats_creds: str | None = None
    nats_user: str | None = None
    nats_password: str | None = None
    database_url: str = "postgresql://postgres@127.0.0.1:5432/postgres"
    vidcon_tenants_dir: Path = REPO_ROOT / "tenants"
    log_level: str = "INFO"
    stream_replicas: int = 1
    zoom_api_url: str = "http://127.0.0.1:9901"
    zoom_account_id: str = "vidcon-dev"
    zoom_client_id: str = "vidcon-dev"
    zoom_client_secret: str = "vidcon-dev-secret"
    zoom_oauth_url: str | None = None
    """Where tokens come from (real Zoom: https://zoom.us); none: the API's address (the fake)."""
    zoom_webhook_secret: str = "vidcon-dev-webhook-secret"
    """The Zoom app's secret token: signs webhooks and answers the URL validation."""
    jitsi_url: str = "https://meet.jit.si"
    jitsi_app_id: str = "vidcon"
    jitsi_app_secret: str = "vidcon-dev-jitsi-secret-32-bytes!"
    provisioning_seed: Path | None = None
    """A YAML file of host accounts, operators, kits and venues per tenant, loaded for tenants with none."""
    oidc_issuer: str = "http://127.0.0.1:9400"
    oidc_client_id: str = "vidcon"
    oidc_client_secret: str = "vidcon-dev-secret"
    session_secret: str | None = None
    """Signs session cookies; every replica of a service needs the same value."""
    secure_cookies: bool = True
    """Cookies only over HTTPS; the embedded run on loopback HTTP turns it off."""
    max_body_bytes: int = 12 * 1024 * 1024
    relay_max_lag_seconds: float = 60.0
    """/readyz fails while the oldest event not yet published is older than this."""
    service_urls: str = ""
    """Comma-separated name=url pairs, for the links between services' pages."""
    vidcon_public_url: str | None = None
    """The one address people use (the gateway, shared/gateway): when set, every link in a page,
    an email or a WhatsApp message starts with it, whatever SERVICE_URLS says."""

    def service_url_map(self) -> dict[str, str]:
        """{service: url}: every service at the public address when there is one, else `service_urls`."""
        if self.vidcon_public_url:
            return {service: self.vidcon_public_url.rstrip("/") for service in SERVICES}
        return dict(pair.split("=", 1) for pair in self.service_urls.split(",") if "=" in pair)
