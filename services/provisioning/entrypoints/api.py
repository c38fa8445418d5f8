"""The technical team's JSON API: bookings, readiness, start and end, the execution report."""
from __future__ import annotations

from datetime import date

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from provisioning.entrypoints.views import meeting_view
from provisioning.service_layer import execution
from provisioning.domain.readiness import CHECK_NAMES
from shared.auth import Role, User, require
from shared.domain import DomainRuleBroken
from shared.http import correlation_id_from

TECHNICAL = (Role.TECHNICAL_TEAM, Role.OPERATOR, Role.TENANT_ADMIN)
router = APIRouter(prefix="/api/{tenant}", tags=["penyediaan"])
Technician = Annotated[User, Depends(require(*TECHNICAL))]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Crew(_Body):
    operators: list[str] = Field(default_factory=list, description="User ids of the operators on duty.")
    kit_id: str | None = None
    venue_id: str | None = None


class Retry(_Body):
    account_id: str | None = None


class Check(_Body):
    note: str = Field(default="", max_length=1000)


class Readiness(_Body):
    checklist: list[str] = Field(min_length=1)
    requester_supplies: list[str] = Field(default_factory=list)


class Moment(_Body):
    at: AwareDatetime | None = None


class ExecutionReport(_Body):
    started_at: AwareDatetime | None = None
    ended_at: AwareDatetime | None = None
    attendance: int = Field(ge=0)
    problems: str = Field(default="", max_length=2000)
    recording_kept: bool = False
    leading_official: str | None = Field(default=None, max_length=200, description="Jabatan, not a name.")
    officers_on_duty: list[str] = Field(default_factory=list, description="User ids.")
    venue: str | None = Field(default=None, max_length=200)
    held_on: date | None = None


def _context(request: Request, tenant: str):
    runtime = request.app.state.runtime
    runtime.tenant(tenant)
    return runtime, runtime.extras["provisioning"]


@router.get("/meetings/{request_id}")
async def meeting(tenant: str, request_id: str, request: Request, user: Technician) -> dict:
    runtime, _ = _context(request, tenant)
    async with runtime.pool.acquire() as conn:
        return meeting_view(await execution.meeting_of(conn, tenant, request_id))


@router.post("/meetings/{request_id}/schedule")
async def schedule(tenant: str, request_id: str, body: Retry, request: Request, user: Technician) -> dict:
    runtime, ctx = _context(request, tenant)
    async with runtime.transaction() as conn:
        found = await execution.retry_scheduling(conn, ctx, tenant, request_id, body.account_id,
                                                 correlation_id_from(request))
    return meeting_view(found)


@router.put("/meetings/{request_id}/crew")
async def crew(tenant: str, request_id: str, body: Crew, request: Request, user: Technician) -> dict:
    runtime, ctx = _context(request, tenant)
    async with runtime.transaction() as conn:
        missing = await execution.assign_crew(conn, ctx, tenant, request_id, body.operators, body.kit_id,
                                              body.venue_id, correlation_id_from(request))
    return {"request_id": request_id, "requester_must_bring": missing}


@router.post("/meetings/{request_id}/checks/{check}")
async def check(tenant: str, request_id: str, check: str, body: Check, request: Request, user: Technician) -> dict:
    runtime, ctx = _context(request, tenant)
    if check not in CHECK_NAMES:
        raise DomainRuleBroken("check", "pemeriksaan harus salah satu dari network, equipment, venue, trial_run")
    async with runtime.transaction() as conn:
        found = await execution.record_check(conn, ctx, tenant, request_id, check, user.id, body.note,
                                             correlation_id_from(request))
    return meeting_view(found)


@router.post("/meetings/{request_id}/ready")
async def ready(tenant: str, request_id: str, body: Readiness, request: Request, user: Technician) -> dict:
    runtime, ctx = _context(request, tenant)
    async with runtime.transaction() as conn:
        await execution.mark_ready(conn, ctx, tenant, request_id, body.checklist, body.requester_supplies,
                                   correlation_id_from(request))
    return {"request_id": request_id, "status": "ready"}


async def _moment(tenant: str, request_id: str, moment: str, body: Moment, request: Request) -> dict:
    runtime, ctx = _context(request, tenant)
    async with runtime.transaction() as conn:
        await execution.record_start_or_end(conn, ctx, tenant, request_id, moment, body.at, "operator",
                                            correlation_id_from(request))
    return {"request_id": request_id, "status": moment}


@router.post("/meetings/{request_id}/started")
async def started(tenant: str, request_id: str, body: Moment, request: Request, user: Technician) -> dict:
    """The operator records the start (Zoom's webhook may have told it already)."""
    return await _moment(tenant, request_id, "started", body, request)


@router.post("/meetings/{request_id}/ended")
async def ended(tenant: str, request_id: str, body: Moment, request: Request, user: Technician) -> dict:
    return await _moment(tenant, request_id, "ended", body, request)


@router.post("/meetings/{request_id}/held")
async def held(tenant: str, request_id: str, body: ExecutionReport, request: Request, user: Technician) -> dict:
    runtime, ctx = _context(request, tenant)
    async with runtime.transaction() as conn:
        await execution.record_held(conn, ctx, tenant, request_id, body.model_dump(),
                                    correlation_id_from(request))
    return {"request_id": request_id, "status": "held"}
