from pathlib import Path

from approval.entrypoints.api import router
from approval.entrypoints.consumers import consumers
from approval.entrypoints.pages import router as pages
from shared.runtime import ServiceSpec, service_app

SPEC = ServiceSpec(name="approval", migrations=Path(__file__).parent / "migrations",
                   consumers=consumers, routers=[router, pages], title="Vidcon — Persetujuan (approval)")


def create_app():
    return service_app(SPEC)
