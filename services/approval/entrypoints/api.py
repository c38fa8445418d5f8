"""The officials' JSON API: the inbox of a role, one request, and the actions on it.

The acting official is the logged-in user; `role` in a body names the role they act in,
which they must hold themselves or hold as an acting official (Plt.) today.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from fastapi.encoders import jsonable_encoder

from approval.entrypoints.bodies import (
    Acting,
    Approval,
    Assignment,
    Disposition,
    Rejection,
    Return,
    Verification,
)
from approval.entrypoints import official_action
from approval.entrypoints.official_action import CHANGED_MEANWHILE, may_act_as
from approval.service_layer import handlers, views
from shared import auth
from shared.domain import DomainRuleBroken
from shared.eventstore import ConcurrencyError
from shared.http import correlation_id_from, now_of
from shared.tenants import Role

OFFICIALS = (
    auth.Role.VERIFIER,
    auth.Role.HEAD_OF_DEPARTMENT,
    auth.Role.HEAD_OF_DIVISION,
    auth.Role.APPROVER,
    auth.Role.TECHNICAL_TEAM,
    auth.Role.TENANT_ADMIN,
)
router = APIRouter(prefix="/api/{tenant}", tags=["persetujuan"])
Official = Annotated[auth.User, Depends(auth.require(*OFFICIALS))]


@router.get("/inbox")
async def inbox(
    tenant: str, request: Request, user: Official, role: Role | None = None, by: str | None = None
) -> list[dict]:
    """Menunggu tindakan: open requests at the role's steps, soonest due first."""
    runtime = request.app.state.runtime
    profile = runtime.tenant(tenant)
    async with runtime.pool.acquire() as conn:
        return await views.inbox(conn, profile, now_of(request), role, by)


@router.get("/requests/{request_id}")
async def show(tenant: str, request_id: str, request: Request, user: Official, role: Role | None = None) -> dict:
    runtime = request.app.state.runtime
    profile = runtime.tenant(tenant)
    async with runtime.pool.acquire() as conn:
        return await views.request_view(conn, profile, request_id, now_of(request), role)


@router.get("/profile-versions/{version}")
async def profile_version(tenant: str, version: str, request: Request, user: Official) -> dict:
    """Versi SOP: the tenant profile a case follows, as it was when the case was opened."""
    runtime = request.app.state.runtime
    profile = runtime.tenant(tenant)
    async with runtime.pool.acquire() as conn:
        return await views.profile_version_view(conn, profile, version)


async def _act(
    tenant: str, request_id: str, action: str, request: Request, body, user: auth.User
) -> dict | JSONResponse:
    try:
        case = await official_action.act(request, tenant, request_id, action, body, user)
    except (ConcurrencyError, DomainRuleBroken) as refused:
        if isinstance(refused, DomainRuleBroken) and refused.status != 409:
            raise
        profile = request.app.state.runtime.tenant(tenant)
        return await _fresh_view(request.app.state.runtime, profile, request_id, request, body.role, refused)
    return {
        "request_id": request_id,
        "step": case.step.id,
        "closed": case.closed,
        "outcome": case.outcome,
        "waiting_for_requester": case.with_requester,
        "version": case.version,
    }


async def _fresh_view(runtime, profile, request_id: str, request: Request, role: Role, refused) -> JSONResponse:
    """409 with a clear message and the request as it is now, so nothing is done twice."""
    message = CHANGED_MEANWHILE if isinstance(refused, ConcurrencyError) else refused.message
    async with runtime.pool.acquire() as conn:
        view = await views.request_view(conn, profile, request_id, now_of(request), role)
    return JSONResponse(jsonable_encoder({"message": message, "errors": [], "request": view}), status_code=409)


@router.post("/requests/{request_id}/pass")
async def pass_on(tenant: str, request_id: str, body: Disposition, request: Request, user: Official):
    """Verify or dispose, whichever the current step is."""
    return await _act(tenant, request_id, "pass", request, body, user)


@router.post("/requests/{request_id}/verify")
async def verify(tenant: str, request_id: str, body: Verification, request: Request, user: Official):
    return await _act(tenant, request_id, "verify", request, body, user)


@router.post("/requests/{request_id}/dispose")
async def dispose(tenant: str, request_id: str, body: Disposition, request: Request, user: Official):
    return await _act(tenant, request_id, "dispose", request, body, user)


@router.post("/requests/{request_id}/approve")
async def approve(tenant: str, request_id: str, body: Approval, request: Request, user: Official):
    return await _act(tenant, request_id, "approve", request, body, user)


@router.post("/requests/{request_id}/return")
async def return_to_requester(tenant: str, request_id: str, body: Return, request: Request, user: Official):
    return await _act(tenant, request_id, "return", request, body, user)


@router.post("/requests/{request_id}/reject")
async def reject(tenant: str, request_id: str, body: Rejection, request: Request, user: Official):
    return await _act(tenant, request_id, "reject", request, body, user)


@router.post("/requests/{request_id}/reassign")
async def reassign(tenant: str, request_id: str, body: Assignment, request: Request, user: Official):
    return await _act(tenant, request_id, "reassign", request, body, user)


@router.post("/acting", status_code=201)
async def appoint_acting(tenant: str, body: Acting, request: Request, user: Official) -> dict:
    """Tunjuk Plt.: someone acts for an official in a role for a period."""
    runtime = request.app.state.runtime
    profile = runtime.tenant(tenant)
    async with runtime.transaction() as conn:
        await may_act_as(conn, tenant, user, body.role, now_of(request))
        await handlers.appoint_acting(
            conn,
            profile.id,
            now=now_of(request),
            by=user.id,
            correlation_id=correlation_id_from(request),
            **body.model_dump(),
        )
    return {"official": body.official, "acting": body.acting, "ends_at": body.ends_at}
