from intake.config import IntakeSettings


def public_url(runtime) -> str:
    """Where a requester opens intake's pages: PUBLIC_URL, else intake's entry in SERVICE_URLS."""
    configured = IntakeSettings().public_url
    if configured:
        return configured
    return runtime.settings.service_url_map().get("intake", "")
