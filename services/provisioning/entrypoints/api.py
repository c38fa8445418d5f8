"""The technical team's JSON API: readiness and the execution report."""
from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from provisioning.service_layer import handlers
from shared.eventstore.aggregate import load
from provisioning.domain.meeting import Meeting
from shared.http import DomainRuleBroken, correlation_id_from

router = APIRouter(prefix="/api/{tenant}", tags=["penyediaan"])


class Readiness(BaseModel):
    model_config = ConfigDict(extra="forbid")
    checklist: list[str] = Field(min_length=1)
    requester_supplies: list[str] = Field(default_factory=list)


class ExecutionReport(BaseModel):
    model_config = ConfigDict(extra="forbid")
    started_at: AwareDatetime
    ended_at: AwareDatetime
    attendance: int = Field(ge=0)
    problems: str = Field(default="", max_length=2000)
    recording_kept: bool = False


@router.get("/meetings/{request_id}")
async def meeting(tenant: str, request_id: str, request: Request) -> dict:
    runtime = request.app.state.runtime
    runtime.tenant(tenant)
    async with runtime.pool.acquire() as conn:
        found = await load(conn, Meeting, request_id, tenant)
    if found is None:
        raise DomainRuleBroken("request_id", "rapat untuk permohonan ini belum dijadwalkan", status=404)
    return {"request_id": request_id, "meeting_id": found.meeting_id, "ready": found.ready,
            "held": found.held}


@router.post("/meetings/{request_id}/ready")
async def ready(tenant: str, request_id: str, body: Readiness, request: Request) -> dict:
    runtime = request.app.state.runtime
    runtime.tenant(tenant)
    async with runtime.transaction() as conn:
        await handlers.mark_ready(conn, tenant, request_id, body.checklist, body.requester_supplies,
                                  correlation_id_from(request))
    return {"request_id": request_id, "status": "ready"}


@router.post("/meetings/{request_id}/held")
async def held(tenant: str, request_id: str, body: ExecutionReport, request: Request) -> dict:
    runtime = request.app.state.runtime
    runtime.tenant(tenant)
    async with runtime.transaction() as conn:
        await handlers.record_held(conn, tenant, request_id, body, correlation_id_from(request))
    return {"request_id": request_id, "status": "held"}
