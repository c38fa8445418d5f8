"""A provisioning service layer on its own schema, a real tenant profile, the fake Zoom and a clock the test moves."""

from __future__ import annotations

import uuid
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from fakes.zoom_inprocess import fake_zoom
from provisioning.adapters import resources
from provisioning.adapters.zoom import ZoomClient
from provisioning.domain.meeting import Meeting
from provisioning.service_layer.context import Provisioning
from provisioning.service_layer.handlers import remember_request, schedule_approved
from provisioning.service_layer.outside_calls import make_due_calls
from shared.db import create_pool, migrate
from shared.events.contracts import RequestApproved, RequestSubmitted, StepTiming
from shared.eventstore.aggregate import history
from shared.messaging import Consumer, apply_once, dispatch
from shared.tenants import load_tenants
from tests.integration.test_provisioning_recording_retention import Clock
from tests.integration.test_provisioning_scheduling import delivered

MIGRATIONS = Path(__file__).resolve().parents[2] / "services" / "provisioning" / "migrations"
TENANTS = load_tenants(Path(__file__).resolve().parents[2] / "tenants")


@dataclass
class Desk:
    """Provisioning for one tenant, driven as its consumer and use cases are."""

    pool: object
    schema: str
    tenant: str
    ctx: Provisioning
    clock: Clock
    zoom: object

    def consumer(self) -> Consumer:
        return Consumer(
            "provisioning",
            "requests",
            "vidcon.>",
            dispatch({RequestSubmitted: remember_request, RequestApproved: schedule_approved(self.ctx)}),
        )

    async def approve(self, starts: datetime, approved_at: datetime, online_only: bool = True) -> str:
        """Submitted for `starts` (two hours), approved at `approved_at`; the clock stands there too."""
        request_id, self.clock.now = str(uuid.uuid4()), approved_at
        await apply_once(
            self.pool, self.consumer(), delivered(self.tenant, submitted(request_id, starts, online_only)), 1
        )
        await self.deliver_approval(request_id, approved_at)
        return request_id

    async def deliver_approval(self, request_id: str, approved_at: datetime) -> None:
        """The approval, and the outside calls it asked for made."""
        await apply_once(self.pool, self.consumer(), delivered(self.tenant, approved(request_id, approved_at)), 2)
        await self.make_calls()

    async def make_calls(self) -> int:
        return await make_due_calls(self.pool, self.ctx)

    async def events(self, request_id: str) -> list:
        async with self.pool.acquire() as conn:
            return await history(conn, Meeting, request_id, self.tenant)


def submitted(request_id: str, starts: datetime, online_only: bool = True) -> RequestSubmitted:
    return RequestSubmitted(
        request_id=request_id,
        tracking_code="T1",
        agency="Bappeda",
        event_name="Rapat Koordinasi",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        online_only=online_only,
        channel="web_form",
        contact_ref=str(uuid.uuid4()),
        submitted_at=starts - timedelta(days=7),
        venue=None if online_only else "Aula",
    )


def approved(request_id: str, at: datetime) -> RequestApproved:
    return RequestApproved(
        request_id=request_id,
        by="kabid",
        timing=StepTiming(step="decide", started_at=at, due_at=at, finished_at=at, met_standard=True, margin_minutes=0),
    )


@asynccontextmanager
async def desk(database_url, profile: str, accounts: int = 1, tenant: str | None = None):
    """`tenant` defaults to a fresh name; the profile's steps, zone and calendar apply to it."""
    schema, tenant = f"p{uuid.uuid4().hex[:10]}", tenant or f"t{uuid.uuid4().hex[:10]}"
    migrate(database_url, schema, MIGRATIONS)
    pool = await create_pool(database_url, schema)
    async with pool.acquire() as conn:
        for n in range(1, accounts + 1):
            await resources.put_account(conn, tenant, f"pro-{n}", "zoom", f"pro-{n}@{tenant}.test", "pro")
    clock, sop = Clock(datetime.now().astimezone()), TENANTS[profile]
    async with fake_zoom() as (url, app):
        zoom = ZoomClient(url, "vidcon-dev", "vidcon-dev", "vidcon-dev-secret")
        ctx = Provisioning({"zoom": zoom}, lambda tenant: sop.time_zone, clock=clock, profile_of=lambda tenant: sop)
        try:
            yield Desk(pool, schema, tenant, ctx, clock, app.state.fake)
        finally:
            await zoom.close()
            await pool.close()
