from pathlib import Path

from complaints.entrypoints.api import router
from shared.runtime import ServiceSpec, service_app

SPEC = ServiceSpec(name="complaints", migrations=Path(__file__).parent / "migrations",
                   routers=[router], title="Vidcon — Pengaduan (complaints)")


def create_app():
    return service_app(SPEC)
