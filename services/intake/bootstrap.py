from pathlib import Path

from intake.entrypoints.api import router
from intake.entrypoints.pages import router as pages
from intake.entrypoints.consumers import consumers
from shared.runtime import ServiceSpec, service_app

SPEC = ServiceSpec(name="intake", migrations=Path(__file__).parent / "migrations",
                   consumers=consumers, routers=[router, pages], title="Vidcon — Permohonan (intake)")


def create_app():
    return service_app(SPEC)
