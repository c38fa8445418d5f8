"""Ajukan permohonan: the request form for agency staff, on a phone as well as a desk."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from intake.domain.commands import SubmitRequest
from intake.domain.documents import KINDS
from intake.domain.rules import PARTICIPANT_LIST
from intake.entrypoints.access import Submitter, check_agency, is_staff
from intake.adapters.documents import unclaimed_documents
from intake.entrypoints.form_checks import all_errors, moment_errors
from intake.entrypoints.form_submission import FormRefused, carried_out, upload_all, validated
from intake.entrypoints.pages import pages
from intake.entrypoints.public_url import public_url
from intake.entrypoints.request_form import (
    CHANNELS,
    SPECIAL_NEEDS,
    by_place,
    hints,
    kept_refs,
    letter_kinds,
    submission_from,
    uploaded_files,
)
from intake.service_layer import handlers
from shared.clock import utc_now
from shared.http import correlation_id_from
from shared.web.formatting import ZONE_NAMES

router = APIRouter(include_in_schema=False)


def show_form(
    request: Request, tenant: str, user, values: dict, errors: list[dict] | None = None, status_code: int = 200
):
    profile = request.app.state.runtime.tenant(tenant)
    staff = is_staff(user, tenant)
    kinds = letter_kinds(profile)
    required_names = {d.id: d.name for d in profile.required_documents}
    shown_hints = hints(profile)
    return pages.TemplateResponse(
        request,
        "request_form.html",
        {
            "profile": profile,
            "hints": shown_hints,
            "required": shown_hints["required"],
            "values": values,
            "errors": by_place(errors or []),
            "error_count": len(errors or []),
            "staff": staff,
            "agency": user.agency,
            "channels": {c: CHANNELS.get(c, c) for c in ["web_form", *profile.channels]},
            "needs": SPECIAL_NEEDS,
            "zone": ZONE_NAMES.get(profile.time_zone, profile.time_zone),
            "letters": [(k, required_names.get(k, KINDS[k].label.capitalize()), k in required_names) for k in kinds],
            "csrf": request.session.get("csrf", ""),
        },
        status_code=status_code,
    )


@router.get("/t/{tenant}/ajukan", response_class=HTMLResponse)
async def request_form(tenant: str, request: Request, user: Submitter):
    return show_form(request, tenant, user, {"agency": user.agency or "", "online_only": "1"})


@router.post("/t/{tenant}/ajukan", response_class=HTMLResponse)
async def send_request_form(tenant: str, request: Request, user: Submitter):
    runtime = request.app.state.runtime
    profile = runtime.tenant(tenant)
    form = await request.form()
    data = submission_from(form, profile.time_zone)
    if not is_staff(user, tenant):
        data |= {"agency": user.agency or "", "channel": "web_form"}
    refused_files: list[dict] = []
    kept = await kept_uploads(runtime, tenant, form, [*letter_kinds(profile), PARTICIPANT_LIST], refused_files)
    documents = {kind: document["document_ref"] for kind, document in kept.items()}
    try:
        async with runtime.transaction() as conn:
            invalid = list(refused_files)
            command = validated(SubmitRequest, data | {"documents": documents}, invalid)
            if command:
                check_agency(user, tenant, command.agency)
            errors = all_errors(
                profile, data | {"documents": documents}, command, invalid, moment_errors(form), utc_now()
            )
            submitted = await carried_out(
                lambda: handlers.submit_request(
                    conn, profile, command, correlation_id_from(request), public_url(runtime)
                ),
                errors,
            )
    except FormRefused as refused:
        values = {key: form.get(key) for key in form.keys() if isinstance(form.get(key), str)}
        values |= {"special_needs": form.getlist("special_needs"), "kept": kept}
        return show_form(request, tenant, user, values, refused.errors, status_code=422)
    return RedirectResponse(f"/t/{tenant}/lacak/{submitted.tracking_code}", status_code=303)


async def kept_uploads(runtime, tenant: str, form, kinds: list[str], errors: list[dict]) -> dict[str, dict]:
    """Files kept from an earlier refused send, replaced by any chosen now; committed on their own, so a
    refused form keeps them (unclaimed, deleted after a day as every upload no request claims)."""
    files = uploaded_files(form, kinds)
    async with runtime.transaction() as conn:
        kept = await unclaimed_documents(conn, tenant, kept_refs(form, kinds))
        uploaded = await upload_all(conn, tenant, files, errors)
    return kept | {kind: {"document_ref": ref, "filename": files[kind].filename} for kind, ref in uploaded.items()}
