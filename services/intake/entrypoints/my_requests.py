"""Permohonan saya: an agency's requests, and withdrawing or correcting one from the browser."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from intake.adapters.status import requests_of
from intake.domain.commands import AmendRequest, WithdrawRequest
from intake.domain.documents import KINDS
from intake.entrypoints.access import CLOSED, Submitter, is_staff, own_request
from intake.entrypoints.form_submission import FormRefused, carried_out, requester_form, upload_all, validated
from intake.entrypoints.pages import pages, service_urls, show_status
from intake.entrypoints.public_url import public_url
from intake.entrypoints.request_form import amendment_from, by_place, form_values, letter_kinds, uploaded_files
from intake.service_layer import handlers
from intake.service_layer.amend import amend_request, current_details
from intake.service_layer.notices import STATUS_LABELS
from shared.http import correlation_id_from

router = APIRouter(include_in_schema=False)


@router.get("/t/{tenant}/permohonan", response_class=HTMLResponse)
async def my_requests(tenant: str, request: Request, user: Submitter):
    runtime = request.app.state.runtime
    profile = runtime.tenant(tenant)
    async with runtime.pool.acquire() as conn:
        found = await requests_of(conn, tenant, None if is_staff(user, tenant) else user.agency)
    return pages.TemplateResponse(
        request,
        "my_requests.html",
        {
            "profile": profile,
            "requests": found,
            "labels": STATUS_LABELS,
            "zone": profile.time_zone,
            "closed": CLOSED,
            "agency": None if is_staff(user, tenant) else user.agency,
            "calendar": f"{service_urls(request).get('provisioning', '')}/t/{tenant}/kalender",
        },
    )


@router.post("/t/{tenant}/permohonan/{request_id}/batal", response_class=HTMLResponse)
async def withdraw(tenant: str, request_id: str, request: Request, user: Submitter):
    runtime = request.app.state.runtime
    profile, own, form = await requester_form(request, tenant, request_id, user)
    try:
        async with runtime.transaction() as conn:
            errors: list[dict] = []
            command = validated(WithdrawRequest, {"reason": form.get("reason", "").strip()}, errors)
            await carried_out(
                lambda: handlers.withdraw_request(
                    conn, profile, request_id, command.reason, correlation_id_from(request), public_url(runtime)
                ),
                errors,
            )
    except FormRefused as refused:
        problem = "Permohonan tidak dapat dibatalkan: " + "; ".join(e["rule"] for e in refused.errors)
        return await show_status(request, tenant, own["tracking_code"], problem, status_code=409)
    return RedirectResponse(f"/t/{tenant}/lacak/{own['tracking_code']}", status_code=303)


def show_amend_form(
    request: Request,
    tenant: str,
    user,
    own: dict,
    values: dict,
    errors: list[dict] | None = None,
    status_code: int = 200,
):
    profile = request.app.state.runtime.tenant(tenant)
    return pages.TemplateResponse(
        request,
        "amend_form.html",
        {
            "profile": profile,
            "own": own,
            "values": values,
            "errors": by_place(errors or []),
            "error_count": len(errors or []),
            "staff": is_staff(user, tenant),
            "required": set(),
            "letters": [(kind, KINDS[kind].label) for kind in letter_kinds(profile)],
            "csrf": request.session.get("csrf", ""),
        },
        status_code=status_code,
    )


@router.get("/t/{tenant}/permohonan/{request_id}/ubah", response_class=HTMLResponse)
async def amend_form(tenant: str, request_id: str, request: Request, user: Submitter):
    own = await own_request(request, tenant, request_id, user)
    async with request.app.state.runtime.pool.acquire() as conn:
        details = await current_details(conn, tenant, request_id)
    return show_amend_form(request, tenant, user, own, form_values(details))


@router.post("/t/{tenant}/permohonan/{request_id}/ubah", response_class=HTMLResponse)
async def send_amend_form(tenant: str, request_id: str, request: Request, user: Submitter):
    runtime = request.app.state.runtime
    profile, own, form = await requester_form(request, tenant, request_id, user)
    data = amendment_from(form, is_staff(user, tenant))
    try:
        async with runtime.transaction() as conn:
            errors: list[dict] = []
            documents = await upload_all(conn, tenant, uploaded_files(form, letter_kinds(profile)), errors)
            command = validated(AmendRequest, data | ({"documents": documents} if documents else {}), errors)
            await carried_out(
                lambda: amend_request(
                    conn, profile, request_id, command, correlation_id_from(request), public_url(runtime), actor=user.id
                ),
                errors,
            )
    except FormRefused as refused:
        values = {key: form.get(key) for key in form.keys() if isinstance(form.get(key), str)}
        return show_amend_form(request, tenant, user, own, values, refused.errors, status_code=422)
    return RedirectResponse(f"/t/{tenant}/lacak/{own['tracking_code']}", status_code=303)
