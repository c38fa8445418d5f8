"""The public's pages, phone-sized and without login: file a complaint, suggestion or appreciation,
follow it by its tracking code, and reopen it when the answer does not settle it."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from complaints.domain.commands import FileComplaint, Reopen
from complaints.domain.complaint import CATEGORIES
from complaints.entrypoints.context import context_of
from complaints.entrypoints.forms import FormRefused, attachment_of, command_of, form_of, refused_by_rule
from complaints.service_layer import handlers, views
from shared.auth import rate_limited
from shared.domain import DomainRuleBroken
from shared.http import now_of
from shared.web import templates

router = APIRouter(include_in_schema=False)
pages = templates(Path(__file__).parent.parent)


def render(request: Request, template: str, tenant: str, status: int = 200, **context) -> HTMLResponse:
    profile = request.app.state.runtime.tenant(tenant)
    return pages.TemplateResponse(
        request,
        template,
        {
            "profile": profile,
            "csrf": request.session.get("csrf", ""),
            "errors": {},
            "chosen": {},
            "categories": CATEGORIES,
            **context,
        },
        status_code=status,
    )


@router.get("/t/{tenant}/pengaduan", response_class=HTMLResponse)
async def complaint_form(tenant: str, request: Request):
    return render(request, "pengaduan.html", tenant)


@router.post("/t/{tenant}/pengaduan", response_class=HTMLResponse, dependencies=[Depends(rate_limited("10/minute"))])
async def file_from_the_public(tenant: str, request: Request, attachment: UploadFile | None = File(None)):
    fields = await form_of(request)
    return await file_complaint_page(request, tenant, fields, attachment, by=None)


async def file_complaint_page(
    request: Request, tenant: str, fields: dict, attachment: UploadFile | None, by: str | None, **context
) -> HTMLResponse:
    """Shared by the public form and the officer's: nothing is stored unless every field is right."""
    chosen = dict(fields)
    if "anonymous" in fields:
        fields["anonymous"] = True
    try:
        command = command_of(FileComplaint, fields)
        upload = await attachment_of(attachment)
        async with request.app.state.runtime.transaction() as conn:
            complaint = await handlers.file_complaint(conn, context_of(request, tenant, by), command, upload)
    except FormRefused as refused:
        return render(request, "pengaduan.html", tenant, 422, errors=refused.errors, chosen=chosen, **context)
    except DomainRuleBroken as broken:
        return render(
            request,
            "pengaduan.html",
            tenant,
            broken.status,
            errors=refused_by_rule(broken).errors,
            chosen=chosen,
            **context,
        )
    return RedirectResponse(f"/t/{tenant}/pengaduan/lacak/{complaint.received.tracking_code}?baru=1", status_code=303)


@router.get("/t/{tenant}/pengaduan/lacak", response_class=HTMLResponse)
async def tracking_form(tenant: str, request: Request, kode: str = ""):
    if kode.strip():
        return RedirectResponse(f"/t/{tenant}/pengaduan/lacak/{kode.strip().upper()}", status_code=303)
    return render(request, "lacak_pengaduan.html", tenant)


@router.get(
    "/t/{tenant}/pengaduan/lacak/{code}", response_class=HTMLResponse, dependencies=[Depends(rate_limited("30/minute"))]
)
async def tracking_page(tenant: str, code: str, request: Request, baru: str = "", dibuka: str = ""):
    """`baru` right after filing (the code shown large, to keep), `dibuka` after reopening."""
    return await _tracking(request, tenant, code, filed=bool(baru), reopened=bool(dibuka))


async def _tracking(request: Request, tenant: str, code: str, status: int = 200, **context) -> HTMLResponse:
    runtime = request.app.state.runtime
    async with runtime.pool.acquire() as conn:
        try:
            row = await handlers.complaint_of_code(conn, tenant, code)
        except DomainRuleBroken as unknown:
            return render(request, "lacak_pengaduan.html", tenant, 404, unknown=unknown.message, code=code)
        found = await views.tracking_of(conn, runtime.tenant(tenant), row, now_of(request))
    return render(request, "lacak_pengaduan.html", tenant, status, found=found, **context)


@router.post(
    "/t/{tenant}/pengaduan/lacak/{code}/buka-kembali",
    response_class=HTMLResponse,
    dependencies=[Depends(rate_limited("10/minute"))],
)
async def reopen_by_complainant(tenant: str, code: str, request: Request):
    try:
        command = command_of(Reopen, await form_of(request))
        async with request.app.state.runtime.transaction() as conn:
            row = await handlers.complaint_of_code(conn, tenant, code)
            await handlers.reopen(conn, context_of(request, tenant), str(row["complaint_id"]), command.reason)
    except FormRefused as refused:
        return await _tracking(request, tenant, code, 422, errors=refused.errors)
    except DomainRuleBroken as broken:
        return await _tracking(request, tenant, code, broken.status, errors=refused_by_rule(broken).errors)
    return RedirectResponse(f"/t/{tenant}/pengaduan/lacak/{code}?dibuka=1", status_code=303)
