from intake.entrypoints.public_url import public_url
from intake.service_layer.handlers import follow_progress
from shared.messaging import Consumer


def consumers(runtime) -> list[Consumer]:
    """One consumer over the whole log keeps other services' steps in causal (stream) order."""
    surveys = runtime.settings.service_url_map().get("complaints", "")
    return [Consumer("intake", "progress", "vidcon.>", follow_progress(runtime.tenants, public_url(runtime), surveys))]
