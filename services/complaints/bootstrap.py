from pathlib import Path

from complaints.adapters.notifications import COMPLAINANTS
from complaints.entrypoints.api import router
from complaints.entrypoints.consumers import consumers
from complaints.entrypoints.handling_pages import router as handling_pages
from complaints.entrypoints.paper_survey_page import router as paper_survey_page
from complaints.entrypoints.public_pages import router as public_pages
from complaints.entrypoints.survey_page import router as survey_page
from shared.notifications import MIGRATIONS as NOTIFICATIONS, delivery_loop
from shared.runtime import ServiceSpec, service_app

SPEC = ServiceSpec(
    name="complaints",
    migrations=Path(__file__).parent / "migrations",
    consumers=consumers,
    routers=[router, public_pages, handling_pages, survey_page, paper_survey_page],
    title="Vidcon — Pengaduan (complaints)",
    background=[delivery_loop(COMPLAINANTS)],
    shared_migrations=(NOTIFICATIONS,),
)


def create_app():
    return service_app(SPEC)
