"""Intake's JSON API for integrations (SRIKANDI, SPBE portals): the same operations as the pages."""

from __future__ import annotations

from fastapi import APIRouter, File, Form, Header, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from intake.adapters.idempotency import claim_key, fingerprint, remember_response
from intake.adapters.status import status_by_tracking_code
from intake.domain.commands import AmendRequest, RescheduleRequest, SubmitRequest, WithdrawRequest
from intake.domain.documents import LARGEST
from intake.domain.rules import processing_starts
from intake.entrypoints.access import Submitter, check_agency, own_request
from intake.entrypoints.public_url import public_url
from intake.service_layer import handlers
from intake.service_layer.amend import amend_request
from intake.service_layer.uploads import upload_document
from shared.http import DomainRuleBroken, correlation_id_from

router = APIRouter(prefix="/api/{tenant}", tags=["permohonan"])
IDEMPOTENCY_KEY = Header(
    default=None,
    alias="Idempotency-Key",
    min_length=8,
    max_length=100,
    description="Sama kunci = satu permohonan: kiriman ulang mendapat jawaban yang sama.",
)


@router.post("/documents", status_code=201, summary="Unggah surat permohonan (PDF) atau daftar peserta (XLSX/CSV)")
async def upload(
    tenant: str, request: Request, user: Submitter, kind: str = Form(max_length=40), file: UploadFile = File()
) -> dict:
    runtime = request.app.state.runtime
    runtime.tenant(tenant)
    content = await file.read(LARGEST + 1)
    async with runtime.transaction() as conn:
        return await upload_document(conn, tenant, kind, file.filename or "berkas", content)


@router.post("/requests", status_code=201, summary="Ajukan permohonan fasilitasi rapat daring")
async def submit(
    tenant: str, command: SubmitRequest, request: Request, user: Submitter, key: str | None = IDEMPOTENCY_KEY
) -> dict:
    runtime = request.app.state.runtime
    profile = runtime.tenant(tenant)
    check_agency(user, tenant, command.agency)
    async with runtime.transaction() as conn:
        if key and (earlier := await claim_key(conn, tenant, key, fingerprint(command.model_dump(mode="json")))):
            return earlier
        submitted = await handlers.submit_request(
            conn, profile, command, correlation_id_from(request), public_url(runtime)
        )
        answer = {
            "request_id": submitted.request_id,
            "tracking_code": submitted.tracking_code,
            "status": "submitted",
            "processing_starts_at": processing_starts(profile, submitted.submitted_at).isoformat(),
        }
        if key:
            await remember_response(conn, tenant, key, answer)
    return answer


@router.get("/tracking/{tracking_code}", summary="Lacak permohonan dengan kode lacak")
async def track(tenant: str, tracking_code: str, request: Request, user: Submitter) -> dict:
    runtime = request.app.state.runtime
    runtime.tenant(tenant)
    async with runtime.pool.acquire() as conn:
        status = await status_by_tracking_code(conn, tenant, tracking_code)
    if status is None:
        raise DomainRuleBroken("tracking_code", "kode lacak tidak ditemukan", status=404)
    check_agency(user, tenant, status["agency"])
    return status


@router.post("/requests/{request_id}/amend", summary="Perbaiki permohonan (sebelum diverifikasi)")
async def amend(tenant: str, request_id: str, command: AmendRequest, request: Request, user: Submitter) -> dict:
    runtime = request.app.state.runtime
    profile = runtime.tenant(tenant)
    await own_request(request, tenant, request_id, user)
    try:
        async with runtime.transaction() as conn:
            changes = await amend_request(
                conn, profile, request_id, command, correlation_id_from(request), public_url(runtime), actor=user.id
            )
    except ValidationError as invalid:
        raise RequestValidationError([e | {"loc": ("body", *e["loc"])} for e in invalid.errors()]) from None
    return {"request_id": request_id, "status": "amended", "changed": sorted(changes)}


@router.post("/requests/{request_id}/reschedule", summary="Jadwalkan ulang (melalui persetujuan lagi)")
async def reschedule(
    tenant: str, request_id: str, command: RescheduleRequest, request: Request, user: Submitter
) -> dict:
    runtime = request.app.state.runtime
    profile = runtime.tenant(tenant)
    await own_request(request, tenant, request_id, user)
    async with runtime.transaction() as conn:
        await handlers.reschedule_request(
            conn, profile, request_id, command, correlation_id_from(request), public_url(runtime)
        )
    return {"request_id": request_id, "status": "rescheduled"}


@router.post("/requests/{request_id}/withdraw", summary="Batalkan permohonan (sebelum acara dimulai)")
async def withdraw(tenant: str, request_id: str, command: WithdrawRequest, request: Request, user: Submitter) -> dict:
    runtime = request.app.state.runtime
    profile = runtime.tenant(tenant)
    await own_request(request, tenant, request_id, user)
    async with runtime.transaction() as conn:
        await handlers.withdraw_request(
            conn, profile, request_id, command.reason, correlation_id_from(request), public_url(runtime)
        )
    return {"request_id": request_id, "status": "withdrawn"}
