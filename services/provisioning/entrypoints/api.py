"""The technical team's JSON API: bookings, readiness, start and end, the execution report, failures."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from provisioning.entrypoints import actions
from provisioning.entrypoints.bodies import Check, Crew, ExecutionReport, Failure, Moment, Readiness, Retry
from provisioning.entrypoints.views import meeting_view
from provisioning.service_layer import execution
from shared.auth import Role, User, require
from shared.http import correlation_id_from

TECHNICAL = (Role.TECHNICAL_TEAM, Role.OPERATOR, Role.TENANT_ADMIN)
router = APIRouter(prefix="/api/{tenant}", tags=["penyediaan"])
Technician = Annotated[User, Depends(require(*TECHNICAL))]
ASSIGNERS = (Role.HEAD_OF_DIVISION, *TECHNICAL)
"""Who assigns operators, kit and venue: the head of division (Kepala Bidang) besides the technical side."""
Assigner = Annotated[User, Depends(require(*ASSIGNERS))]


@router.get("/meetings/{request_id}")
async def meeting(tenant: str, request_id: str, request: Request, user: Technician) -> dict:
    return meeting_view(await actions.meeting(request, tenant, request_id))


@router.post("/meetings/{request_id}/schedule")
async def schedule(tenant: str, request_id: str, body: Retry, request: Request, user: Technician) -> dict:
    runtime, ctx = actions.context(request, tenant)
    async with runtime.transaction() as conn:
        found = await execution.retry_scheduling(
            conn, ctx, tenant, request_id, body.account_id, correlation_id_from(request)
        )
    return meeting_view(found)


@router.put("/meetings/{request_id}/crew")
async def crew(tenant: str, request_id: str, body: Crew, request: Request, user: Assigner) -> dict:
    runtime, ctx = actions.context(request, tenant)
    async with runtime.transaction() as conn:
        missing = await execution.assign_crew(
            conn, ctx, tenant, request_id, body.operators, body.kit_id, body.venue_id, correlation_id_from(request)
        )
    return {"request_id": request_id, "requester_must_bring": missing}


@router.post("/meetings/{request_id}/checks/{check}")
async def check(tenant: str, request_id: str, check: str, body: Check, request: Request, user: Technician) -> dict:
    return meeting_view(await actions.record_check(request, tenant, request_id, check, user.id, body.note))


@router.post("/meetings/{request_id}/ready")
async def ready(tenant: str, request_id: str, body: Readiness, request: Request, user: Technician) -> dict:
    runtime, ctx = actions.context(request, tenant)
    async with runtime.transaction() as conn:
        await execution.mark_ready(
            conn, ctx, tenant, request_id, body.checklist, body.requester_supplies, correlation_id_from(request)
        )
    return {"request_id": request_id, "status": "ready"}


@router.post("/meetings/{request_id}/started")
async def started(tenant: str, request_id: str, body: Moment, request: Request, user: Technician) -> dict:
    """The operator records the start (Zoom's webhook may have told it already)."""
    await actions.record_start_or_end(request, tenant, request_id, "started", body.at)
    return {"request_id": request_id, "status": "started"}


@router.post("/meetings/{request_id}/ended")
async def ended(tenant: str, request_id: str, body: Moment, request: Request, user: Technician) -> dict:
    await actions.record_start_or_end(request, tenant, request_id, "ended", body.at)
    return {"request_id": request_id, "status": "ended"}


@router.post("/meetings/{request_id}/held")
async def held(tenant: str, request_id: str, body: ExecutionReport, request: Request, user: Technician) -> dict:
    await actions.record_held(request, tenant, request_id, body)
    return {"request_id": request_id, "status": "held"}


@router.post("/meetings/{request_id}/failed")
async def failed(tenant: str, request_id: str, body: Failure, request: Request, user: Technician) -> dict:
    """Tidak terlaksana: releases the bookings and deletes the provider's meeting."""
    return meeting_view(await actions.record_failed(request, tenant, request_id, body, user.id))
