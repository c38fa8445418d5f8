"""The complaints JSON API: filing (public), the officer's and the team's handling, tracking."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from complaints.domain.commands import Answer, Assign, Classify, FileComplaint, Reopen
from complaints.entrypoints.context import HANDLERS, OFFICER, context_of
from complaints.service_layer import handlers, views
from shared.auth import Role, User, optional_user, rate_limited, require
from shared.domain import DomainRuleBroken
from shared.http import now_of
from shared.personal_data import record_access

router = APIRouter(prefix="/api/{tenant}", tags=["pengaduan"])
Officer = Depends(require(OFFICER))


@router.post("/complaints", status_code=201, dependencies=[Depends(rate_limited("10/minute"))])
async def receive(
    tenant: str, body: FileComplaint, request: Request, user: User | None = Depends(optional_user)
) -> dict:
    """Open to the public (`web_form`): pengaduan, saran or apresiasi, named or anonymous. A
    complaints officer also records one that came by another channel the tenant lists."""
    officer = user.id if user and user.may(tenant, frozenset({OFFICER})) else None
    runtime = request.app.state.runtime
    async with runtime.transaction() as conn:
        complaint = await handlers.file_complaint(conn, context_of(request, tenant, officer), body)
    return {"complaint_id": complaint.id, "tracking_code": complaint.received.tracking_code, "status": complaint.status}


@router.get("/complaints", summary="Kotak masuk pengaduan, urut batas waktu")
async def inbox(tenant: str, request: Request, user: User = Depends(require(HANDLERS))) -> dict:
    runtime = request.app.state.runtime
    member = None if user.may(tenant, frozenset({OFFICER})) else user.id
    async with runtime.pool.acquire() as conn:
        return await views.inbox_of(conn, runtime.tenant(tenant), now_of(request), member)


@router.get("/complaints/{complaint_id}", summary="Satu pengaduan dengan riwayatnya (tercatat di jejak audit)")
async def one(tenant: str, complaint_id: str, request: Request, user: User = Depends(require(HANDLERS))) -> dict:
    runtime = request.app.state.runtime
    team_member = not user.may(tenant, frozenset({OFFICER}))
    async with runtime.transaction() as conn:
        found = await views.complaint_of(
            conn, runtime.tenant(tenant), complaint_id, now_of(request), user.id, team_member
        )
    if found is None:
        raise DomainRuleBroken("complaint_id", "pengaduan tidak ditemukan", status=404)
    return found


@router.post("/complaints/{complaint_id}/classify")
async def classify(tenant: str, complaint_id: str, body: Classify, request: Request, officer: User = Officer) -> dict:
    return await _act(request, tenant, officer, handlers.classify, complaint_id, body.kind)


@router.post("/complaints/{complaint_id}/assign")
async def assign(tenant: str, complaint_id: str, body: Assign, request: Request, officer: User = Officer) -> dict:
    return await _act(request, tenant, officer, handlers.assign, complaint_id, body.assignee)


@router.post("/complaints/{complaint_id}/answer")
async def answer(
    tenant: str, complaint_id: str, body: Answer, request: Request, user: User = Depends(require(HANDLERS))
) -> dict:
    team_member = not user.may(tenant, frozenset({OFFICER}))
    return await _act(request, tenant, user, handlers.answer, complaint_id, body.answer, team_member)


@router.post("/complaints/{complaint_id}/resolve", summary="Tutup pengaduan yang sudah dijawab")
async def resolve(tenant: str, complaint_id: str, request: Request, officer: User = Officer) -> dict:
    return await _act(request, tenant, officer, handlers.resolve, complaint_id)


@router.post("/complaints/{complaint_id}/reopen", summary="Buka kembali atas keterangan pengadu")
async def reopen(tenant: str, complaint_id: str, body: Reopen, request: Request, officer: User = Officer) -> dict:
    return await _act(request, tenant, officer, handlers.reopen, complaint_id, body.reason)


async def _act(request: Request, tenant: str, user: User, action, complaint_id: str, *args) -> dict:
    async with request.app.state.runtime.transaction() as conn:
        complaint = await action(conn, context_of(request, tenant, user.id), complaint_id, *args)
    return {"complaint_id": complaint.id, "status": complaint.status}


@router.get(
    "/complaint-tracking/{code}",
    summary="Lacak pengaduan dengan kode lacak (publik)",
    dependencies=[Depends(rate_limited("30/minute"))],
)
async def track(tenant: str, code: str, request: Request) -> dict:
    runtime = request.app.state.runtime
    async with runtime.pool.acquire() as conn:
        row = await handlers.complaint_of_code(conn, tenant, code)
        return await views.tracking_of(conn, runtime.tenant(tenant), row, now_of(request))


@router.post(
    "/complaint-tracking/{code}/reopen",
    summary="Pengadu: jawaban belum menyelesaikan masalah",
    dependencies=[Depends(rate_limited("10/minute"))],
)
async def reopen_by_complainant(tenant: str, code: str, body: Reopen, request: Request) -> dict:
    runtime = request.app.state.runtime
    async with runtime.transaction() as conn:
        row = await handlers.complaint_of_code(conn, tenant, code)
        complaint = await handlers.reopen(conn, context_of(request, tenant), str(row["complaint_id"]), body.reason)
    return {"tracking_code": code, "status": complaint.status}


class Erasure(BaseModel):
    """Hapus data pribadi pengadu: by the contact they gave (telephone, WhatsApp or email)."""

    model_config = ConfigDict(extra="forbid")
    contact: str = Field(min_length=5, max_length=200)
    reason: str = Field(min_length=5, max_length=500)


@router.post("/complainants/erasures", status_code=201, summary="Hapus data pribadi pengadu")
async def erase(
    tenant: str, body: Erasure, request: Request, admin: User = Depends(require(Role.TENANT_ADMIN))
) -> dict:
    runtime = request.app.state.runtime
    async with runtime.transaction() as conn:
        refs = await handlers.erase_complainant(conn, tenant, body.contact)
        await record_access(conn, tenant=tenant, actor=admin.id, action="erase", subject_refs=refs, purpose=body.reason)
    return {"erased": len(refs)}
