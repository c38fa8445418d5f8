"""The complaints officer's JSON API."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from complaints.service_layer import handlers
from shared.auth import Role, User, rate_limited, require
from shared.events.contracts.complaints import ComplaintChannel
from shared.http import correlation_id_from
from shared.personal_data import record_access

router = APIRouter(prefix="/api/{tenant}", tags=["pengaduan"])


class ReceiveComplaint(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=2, max_length=120)
    contact: str = Field(min_length=5, max_length=200, description="Telepon, WhatsApp atau email")
    kind: str
    channel: ComplaintChannel
    request_id: str | None = None
    summary: str = Field(min_length=5, max_length=4000)


@router.post("/complaints", status_code=201, dependencies=[Depends(rate_limited("10/minute"))])
async def receive(tenant: str, body: ReceiveComplaint, request: Request) -> dict:
    """Open to the public: anyone may complain (pengaduan), within a rate limit."""
    runtime = request.app.state.runtime
    profile = runtime.tenant(tenant)
    async with runtime.transaction() as conn:
        complaint = await handlers.receive_complaint(conn, profile, body, correlation_id_from(request))
    return {"complaint_id": complaint.id, "status": "received"}


@router.post("/complaints/{complaint_id}/resolve")
async def resolve(tenant: str, complaint_id: str, request: Request,
                  officer: User = Depends(require(Role.COMPLAINTS_OFFICER))) -> dict:
    runtime = request.app.state.runtime
    profile = runtime.tenant(tenant)
    async with runtime.transaction() as conn:
        await handlers.resolve_complaint(conn, profile, complaint_id, officer.id, correlation_id_from(request))
    return {"complaint_id": complaint_id, "status": "resolved"}


class Erasure(BaseModel):
    """Hapus data pribadi pengadu: by the contact they gave (telephone, WhatsApp or email)."""

    model_config = ConfigDict(extra="forbid")
    contact: str = Field(min_length=5, max_length=200)
    reason: str = Field(min_length=5, max_length=500)


@router.post("/personal-data/erasures", status_code=201, summary="Hapus data pribadi pengadu")
async def erase(tenant: str, body: Erasure, request: Request,
                admin: User = Depends(require(Role.TENANT_ADMIN))) -> dict:
    runtime = request.app.state.runtime
    async with runtime.transaction() as conn:
        refs = await handlers.erase_complainant(conn, tenant, body.contact)
        await record_access(conn, tenant=tenant, actor=admin.id, action="erase", subject_refs=refs,
                            purpose=body.reason)
    return {"erased": len(refs)}
