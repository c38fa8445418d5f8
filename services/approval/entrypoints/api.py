"""The officials' JSON API: the inbox, and the actions on a request."""
from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from approval.service_layer import handlers
from shared.http import correlation_id_from

router = APIRouter(prefix="/api/{tenant}", tags=["persetujuan"])


class Action(BaseModel):
    model_config = ConfigDict(extra="forbid")
    by: str = Field(min_length=1, max_length=100, description="User id of the acting official")
    note: str = Field(default="", max_length=2000)
    addressee: str | None = None


class Approval(BaseModel):
    model_config = ConfigDict(extra="forbid")
    by: str = Field(min_length=1, max_length=100)
    signed: bool = True


class Rejection(BaseModel):
    model_config = ConfigDict(extra="forbid")
    by: str = Field(min_length=1, max_length=100)
    reason: str = Field(min_length=3, max_length=2000)


@router.get("/inbox")
async def inbox(tenant: str, request: Request) -> list[dict]:
    runtime = request.app.state.runtime
    runtime.tenant(tenant)
    rows = await runtime.pool.fetch(
        "select request_id::text, agency, event_name, starts_at, step, step_started_at, due_at"
        " from cases where tenant = $1 and status = 'open' order by due_at", tenant)
    return [dict(row) for row in rows]


async def _act(tenant: str, request_id: str, action: str, request: Request, **details) -> dict:
    runtime = request.app.state.runtime
    profile = runtime.tenant(tenant)
    async with runtime.transaction() as conn:
        case = await handlers.act(conn, profile, request_id, action,
                                  correlation_id=correlation_id_from(request), **details)
    return {"request_id": request_id, "step": case.step.id, "closed": case.closed}


@router.post("/requests/{request_id}/pass")
async def pass_on(tenant: str, request_id: str, body: Action, request: Request) -> dict:
    return await _act(tenant, request_id, "pass", request, **body.model_dump())


@router.post("/requests/{request_id}/approve")
async def approve(tenant: str, request_id: str, body: Approval, request: Request) -> dict:
    return await _act(tenant, request_id, "approve", request, **body.model_dump())


@router.post("/requests/{request_id}/reject")
async def reject(tenant: str, request_id: str, body: Rejection, request: Request) -> dict:
    return await _act(tenant, request_id, "reject", request, **body.model_dump())
