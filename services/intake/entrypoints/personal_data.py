"""Personal data on request: an official reads a contact (audited); an admin erases a person."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field, model_validator

from intake.adapters.contacts import contact_ref_of_request, erase_person, personal_details
from shared.auth import STAFF, Role, User, require
from shared.domain import DomainRuleBroken
from shared.personal_data import audit_trail, record_access

router = APIRouter(prefix="/api/{tenant}", tags=["data pribadi"])
Official = Annotated[User, Depends(require(*(STAFF - {Role.LEADER})))]
Admin = Annotated[User, Depends(require(Role.TENANT_ADMIN))]
Reader = Annotated[
    User,
    Depends(
        require(Role.LEADER, Role.TENANT_ADMIN, Role.HEAD_OF_DEPARTMENT, Role.HEAD_OF_DIVISION, Role.TECHNICAL_TEAM)
    ),
]


class Erasure(BaseModel):
    """Hapus data pribadi: by the person's WhatsApp number and/or email, with the reason."""

    model_config = ConfigDict(extra="forbid")
    whatsapp: str | None = Field(default=None, min_length=8, max_length=20)
    email: str | None = Field(default=None, min_length=5, max_length=200)
    reason: str = Field(min_length=5, max_length=500)

    @model_validator(mode="after")
    def _someone(self) -> "Erasure":
        if not self.whatsapp and not self.email:
            raise ValueError("isi nomor WhatsApp atau email orang yang datanya dihapus")
        return self


@router.get("/requests/{request_id}/contact", summary="Kontak pemohon (tercatat di jejak audit)")
async def contact(tenant: str, request_id: str, request: Request, user: Official, purpose: str) -> dict:
    runtime = request.app.state.runtime
    async with runtime.transaction() as conn:
        ref = await contact_ref_of_request(conn, tenant, request_id)
        if ref is None:
            raise DomainRuleBroken("request_id", "permohonan tidak ditemukan", status=404)
        await record_access(conn, tenant=tenant, actor=user.id, action="read", subject_refs=[ref], purpose=purpose)
        return await personal_details(conn, ref) | {"audit": await audit_trail(conn, tenant, ref)}


@router.get("/people/names", summary="Nama kontak dan pejabat yang memimpin, untuk rekap dinas (tercatat)")
async def names(
    tenant: str,
    request: Request,
    user: Reader,
    purpose: str = Query(min_length=3, max_length=200),
    request_id: list[str] = Query(default=[], max_length=1000),
) -> dict:
    """Names only (no phone, no email) for the department's own recap pages and documents."""
    runtime = request.app.state.runtime
    found = {}
    async with runtime.transaction() as conn:
        for one in request_id:
            ref = await contact_ref_of_request(conn, tenant, one)
            if ref is not None:
                details = await personal_details(conn, ref)
                found[one] = {
                    "contact": (details["contact"] or {}).get("name"),
                    "leading_official": (details["leading_official"] or {}).get("name"),
                }
                await record_access(
                    conn, tenant=tenant, actor=user.id, action="read", subject_refs=[ref], purpose=purpose
                )
    return {"names": found}


@router.post("/personal-data/erasures", status_code=201, summary="Hapus data pribadi seseorang")
async def erase(tenant: str, body: Erasure, request: Request, admin: Admin) -> dict:
    runtime = request.app.state.runtime
    async with runtime.transaction() as conn:
        refs = await erase_person(conn, tenant, body.whatsapp, body.email)
        await record_access(conn, tenant=tenant, actor=admin.id, action="erase", subject_refs=refs, purpose=body.reason)
    return {"erased": len(refs)}
