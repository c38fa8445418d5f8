from pathlib import Path

from intake.entrypoints.api import router
from intake.entrypoints.consumers import consumers
from shared.runtime import ServiceSpec, service_app

SPEC = ServiceSpec(name="intake", migrations=Path(__file__).parent / "migrations",
                   consumers=consumers, routers=[router], title="Vidcon — Permohonan (intake)")


def create_app():
    return service_app(SPEC)
