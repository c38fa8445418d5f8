from pathlib import Path

from intake.adapters.contacts import CONTACTS
from intake.entrypoints.api import router
from intake.entrypoints.consumers import consumers
from intake.entrypoints.live import router as live
from intake.entrypoints.my_requests import router as my_requests
from intake.entrypoints.pages import router as pages
from intake.entrypoints.submit_page import router as submit_page
from intake.entrypoints.personal_data import router as personal_data
from intake.service_layer.housekeeping import forget_unattached_documents
from shared.notifications import delivery_loop
from shared.runtime import ServiceSpec, service_app

SPEC = ServiceSpec(name="intake", migrations=Path(__file__).parent / "migrations",
                   consumers=consumers, routers=[router, pages, submit_page, my_requests, live, personal_data], title="Vidcon — Permohonan (intake)",
                   background=[delivery_loop(CONTACTS), forget_unattached_documents])


def create_app():
    return service_app(SPEC)
