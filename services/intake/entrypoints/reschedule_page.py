"""Jadwal ulang: the requester moves a request to another date or time; it goes through approval again."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from zoneinfo import ZoneInfo

from intake.adapters.status import status_by_request_id
from intake.domain.commands import RescheduleRequest
from intake.entrypoints.access import Submitter, own_request
from intake.entrypoints.form_checks import moment_errors
from intake.entrypoints.form_submission import FormRefused, carried_out, requester_form, validated
from intake.entrypoints.pages import pages
from intake.entrypoints.public_url import public_url
from intake.entrypoints.request_form import by_place, local_moment
from intake.service_layer import handlers
from shared.http import correlation_id_from
from shared.web.formatting import ZONE_NAMES

router = APIRouter(include_in_schema=False)


async def show_reschedule_form(
    request: Request,
    tenant: str,
    request_id: str,
    own: dict,
    values: dict | None = None,
    errors: list[dict] | None = None,
    status_code: int = 200,
):
    profile = request.app.state.runtime.tenant(tenant)
    async with request.app.state.runtime.pool.acquire() as conn:
        current = await status_by_request_id(conn, request_id)
    starts, ends = (current[name].astimezone(ZoneInfo(profile.time_zone)) for name in ("starts_at", "ends_at"))
    shown = values or {"date": starts.date().isoformat(), "start_time": f"{starts:%H:%M}", "end_time": f"{ends:%H:%M}"}
    return pages.TemplateResponse(
        request,
        "reschedule_form.html",
        {
            "profile": profile,
            "own": own,
            "current": current,
            "values": shown,
            "errors": by_place(errors or []),
            "error_count": len(errors or []),
            "required": {"date", "start_time", "end_time"},
            "zone": profile.time_zone,
            "zone_name": ZONE_NAMES.get(profile.time_zone, profile.time_zone),
            "csrf": request.session.get("csrf", ""),
        },
        status_code=status_code,
    )


@router.get("/t/{tenant}/permohonan/{request_id}/jadwal-ulang", response_class=HTMLResponse)
async def reschedule_form(tenant: str, request_id: str, request: Request, user: Submitter):
    own = await own_request(request, tenant, request_id, user)
    return await show_reschedule_form(request, tenant, request_id, own)


@router.post("/t/{tenant}/permohonan/{request_id}/jadwal-ulang", response_class=HTMLResponse)
async def send_reschedule_form(tenant: str, request_id: str, request: Request, user: Submitter):
    runtime = request.app.state.runtime
    profile, own, form = await requester_form(request, tenant, request_id, user)
    errors = moment_errors(form)
    data = {
        "starts_at": local_moment(form.get("date"), form.get("start_time"), profile.time_zone),
        "ends_at": local_moment(form.get("date"), form.get("end_time"), profile.time_zone),
        "reason": (form.get("reason") or "").strip(),
    }
    try:
        async with runtime.transaction() as conn:
            command = validated(RescheduleRequest, data, invalid := [])
            errors += [e for e in invalid if not (errors and e["field"] in ("starts_at", "ends_at"))]
            await carried_out(
                lambda: handlers.reschedule_request(
                    conn, profile, request_id, command, correlation_id_from(request), public_url(runtime)
                ),
                errors,
            )
    except FormRefused as refused:
        values = {key: form.get(key) for key in ("date", "start_time", "end_time", "reason")}
        return await show_reschedule_form(request, tenant, request_id, own, values, refused.errors, status_code=422)
    return RedirectResponse(f"/t/{tenant}/lacak/{own['tracking_code']}", status_code=303)
