from pathlib import Path

from provisioning.entrypoints.api import router
from provisioning.entrypoints.consumers import consumers
from shared.runtime import ServiceSpec, service_app

SPEC = ServiceSpec(name="provisioning", migrations=Path(__file__).parent / "migrations",
                   consumers=consumers, routers=[router], title="Vidcon — Penyediaan (provisioning)")


def create_app():
    return service_app(SPEC)
