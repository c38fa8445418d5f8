from pathlib import Path

from intake.adapters.contacts import CONTACTS
from intake.adapters.timeline_signals import follow_timelines
from intake.entrypoints.api import router
from intake.entrypoints.consumers import consumers
from intake.entrypoints.document_download import router as document_download
from intake.entrypoints.live import router as live
from intake.entrypoints.metrics import requests_by_state
from intake.entrypoints.my_requests import router as my_requests
from intake.entrypoints.pages import router as pages
from intake.entrypoints.submit_page import router as submit_page
from intake.entrypoints.personal_data import router as personal_data
from intake.entrypoints.reschedule_page import router as reschedule_page
from intake.service_layer.housekeeping import forget_unattached_documents
from shared.notifications import MIGRATIONS as NOTIFICATIONS, delivery_loop
from shared.runtime import ServiceSpec, service_app

SPEC = ServiceSpec(
    name="intake",
    migrations=Path(__file__).parent / "migrations",
    consumers=consumers,
    title="Vidcon — Permohonan (intake)",
    routers=[router, pages, submit_page, my_requests, reschedule_page, document_download, live, personal_data],
    background=[delivery_loop(CONTACTS), forget_unattached_documents, follow_timelines],
    gauges=[requests_by_state],
    shared_migrations=(NOTIFICATIONS,),
)


def create_app():
    return service_app(SPEC)
