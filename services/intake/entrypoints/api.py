"""Intake's JSON API: submit, track and withdraw a request."""
from __future__ import annotations

from fastapi import APIRouter, Request

from intake.adapters.status import status_by_tracking_code
from intake.domain.commands import SubmitRequest, WithdrawRequest
from intake.service_layer import handlers
from shared.http import DomainRuleBroken, correlation_id_from

router = APIRouter(prefix="/api/{tenant}", tags=["permohonan"])


@router.post("/requests", status_code=201)
async def submit(tenant: str, command: SubmitRequest, request: Request) -> dict:
    runtime = request.app.state.runtime
    profile = runtime.tenant(tenant)
    async with runtime.transaction() as conn:
        submitted = await handlers.submit_request(conn, profile, command, correlation_id_from(request))
    return {"request_id": submitted.request_id, "tracking_code": submitted.tracking_code,
            "status": "submitted"}


@router.get("/requests/{tracking_code}")
async def track(tenant: str, tracking_code: str, request: Request) -> dict:
    runtime = request.app.state.runtime
    runtime.tenant(tenant)
    async with runtime.pool.acquire() as conn:
        status = await status_by_tracking_code(conn, tenant, tracking_code)
    if status is None:
        raise DomainRuleBroken("tracking_code", "kode lacak tidak ditemukan", status=404)
    return status


@router.post("/requests/{request_id}/withdraw")
async def withdraw(tenant: str, request_id: str, command: WithdrawRequest, request: Request) -> dict:
    runtime = request.app.state.runtime
    runtime.tenant(tenant)
    async with runtime.transaction() as conn:
        await handlers.withdraw_request(conn, tenant, request_id, command.reason,
                                        correlation_id_from(request))
    return {"request_id": request_id, "status": "withdrawn"}
