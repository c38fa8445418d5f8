from intake.config import IntakeSettings


def public_url(runtime) -> str:
    """Where a requester opens intake's pages: PUBLIC_URL, else intake's entry in SERVICE_URLS."""
    configured = IntakeSettings().public_url
    if configured:
        return configured
    pairs = dict(pair.split("=", 1) for pair in runtime.settings.service_urls.split(",") if "=" in pair)
    return pairs.get("intake", "")
