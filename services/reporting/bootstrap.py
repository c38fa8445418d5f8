from reporting.adapters.projections import projections
from reporting.entrypoints.api import router
from reporting.entrypoints.consumers import consumers
from reporting.entrypoints.exports import router as exports
from reporting.entrypoints.metrics import steps_past_standard
from reporting.entrypoints.pages import router as pages
from reporting.service_layer.handlers import register_all
from shared.runtime import ServiceSpec, service_app


async def _register_projections(runtime) -> None:
    await register_all(runtime.pool, projections(runtime.tenants))


SPEC = ServiceSpec(
    name="reporting",
    migrations=None,
    consumers=consumers,
    routers=[router, pages, exports],
    title="Vidcon — Laporan (reporting)",
    on_start=_register_projections,
    gauges=[steps_past_standard],
)


def create_app():
    return service_app(SPEC)
