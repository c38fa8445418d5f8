from provisioning.adapters.zoom import ZoomClient
from provisioning.service_layer.handlers import remember_request, schedule_approved
from shared.events.contracts import RequestApproved, RequestSubmitted
from shared.messaging import Consumer, dispatch


def consumers(runtime) -> list[Consumer]:
    settings = runtime.settings
    zoom = runtime.extras.setdefault("zoom", ZoomClient(
        settings.zoom_api_url, settings.zoom_account_id, settings.zoom_client_id,
        settings.zoom_client_secret))

    def time_zone_of(tenant: str) -> str:
        return runtime.tenant(tenant).time_zone

    return [Consumer("provisioning", "requests", "vidcon.>", dispatch({
        RequestSubmitted: remember_request,
        RequestApproved: schedule_approved(zoom, time_zone_of),
    }))]
