import asyncio
from pathlib import Path

import structlog
import yaml

from provisioning.adapters import resources
from provisioning.adapters.jitsi import JitsiRooms
from provisioning.adapters.zoom import ZoomClient
from provisioning.entrypoints.api import router
from provisioning.entrypoints.calendar_pages import router as calendar_router
from provisioning.entrypoints.consumers import consumers
from provisioning.entrypoints.crew_page import router as crew_page_router
from provisioning.entrypoints.pages import router as pages_router
from provisioning.entrypoints.report_page import router as report_page_router
from provisioning.entrypoints.resources_api import router as resources_router
from provisioning.entrypoints.resources_page import router as resources_page_router
from provisioning.entrypoints.webhooks import router as webhooks_router
from provisioning.service_layer.context import Provisioning
from provisioning.service_layer.execution import delete_expired_recordings
from provisioning.service_layer.failures import fail_meetings_without_link
from provisioning.service_layer.call_worker import CallWorker
from shared.runtime import ServiceSpec, service_app

log = structlog.get_logger()
RETENTION_CHECK_SECONDS = 3600
LINK_CHECK_SECONDS = 60


def provisioning_context(runtime) -> Provisioning:
    """One set of provider clients per process (the Zoom token is cached in it)."""
    if "provisioning" not in runtime.extras:
        s = runtime.settings
        zoom = ZoomClient(
            s.zoom_api_url, s.zoom_account_id, s.zoom_client_id, s.zoom_client_secret, oauth_url=s.zoom_oauth_url
        )
        jitsi = JitsiRooms(s.jitsi_url, s.jitsi_app_id, s.jitsi_app_secret)
        runtime.extras["provisioning"] = Provisioning(
            {"zoom": zoom, "jitsi": jitsi},
            lambda tenant: runtime.tenant(tenant).time_zone,
            profile_of=lambda tenant: runtime.tenants.get(tenant),
        )
    return runtime.extras["provisioning"]


async def seed_resources(runtime) -> None:
    """The embedded run's host accounts, operators, kits and venues, for tenants that have none."""
    provisioning_context(runtime)
    seed = runtime.settings.provisioning_seed
    if not seed or not Path(seed).is_file():
        return
    data = yaml.safe_load(Path(seed).read_text()) or {}
    async with runtime.transaction() as conn:
        for tenant, section in data.items():
            if not await conn.fetchval("select 1 from host_accounts where tenant = $1", tenant):
                await resources.seed(conn, tenant, section)
                log.info("provisioning.seeded", tenant=tenant)


async def retention_loop(runtime) -> None:
    """Recordings past the tenant's retention period are deleted, each as a RecordingDeleted event."""
    while True:
        for tenant in runtime.tenants:
            try:
                async with runtime.transaction() as conn:
                    await delete_expired_recordings(conn, runtime.extras["provisioning"], tenant)
            except Exception as error:  # noqa: BLE001  the next round tries again
                log.warning("provisioning.retention_failed", tenant=tenant, error=repr(error))
        await asyncio.sleep(RETENTION_CHECK_SECONDS)


async def link_loop(runtime) -> None:
    """Tautan rapat tidak tersedia tepat waktu: approved requests whose start passed without a meeting."""
    while True:
        try:
            await fail_meetings_without_link(runtime.pool, runtime.extras["provisioning"])
        except Exception as error:  # noqa: BLE001  the next round tries again
            log.warning("provisioning.link_check_failed", error=repr(error))
        await asyncio.sleep(LINK_CHECK_SECONDS)


async def call_loop(runtime) -> None:
    """The outside calls (Zoom, Jitsi) the use cases asked for, made outside their transactions."""
    await CallWorker(runtime.pool, runtime.extras["provisioning"]).run()


SPEC = ServiceSpec(
    name="provisioning",
    migrations=Path(__file__).parent / "migrations",
    consumers=consumers,
    routers=[
        router,
        resources_router,
        webhooks_router,
        pages_router,
        report_page_router,
        crew_page_router,
        resources_page_router,
        calendar_router,
    ],
    title="Vidcon — Penyediaan (provisioning)",
    on_start=seed_resources,
    background=[retention_loop, link_loop, call_loop],
)


def create_app():
    return service_app(SPEC)
