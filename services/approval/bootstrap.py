from pathlib import Path

from approval.entrypoints.api import router
from approval.entrypoints.consumers import consumers
from approval.entrypoints.pages import router as pages
from approval.service_layer.profiles import keep_current
from shared.runtime import ServiceSpec, service_app


async def _keep_profile_versions(runtime) -> None:
    async with runtime.transaction() as conn:
        await keep_current(conn, runtime.tenants)


SPEC = ServiceSpec(
    name="approval",
    migrations=Path(__file__).parent / "migrations",
    consumers=consumers,
    routers=[router, pages],
    title="Vidcon — Persetujuan (approval)",
    on_start=_keep_profile_versions,
)


def create_app():
    return service_app(SPEC)
