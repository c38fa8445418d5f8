"""The execution report's page (laporan pelaksanaan): the same use case as the API's `/held`."""

from __future__ import annotations

from uuid import UUID

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from provisioning.entrypoints import actions
from provisioning.entrypoints.api import TECHNICAL, Technician
from provisioning.entrypoints.page_support import back_to_day, render, tell
from provisioning.entrypoints.report_form import LABELS, form_values, report_from_form, report_values
from provisioning.service_layer import execution
from shared.auth import Role, User, require
from shared.domain import DomainRuleBroken
from shared.eventstore import ConcurrencyError
from shared.http import correlation_id_from

router = APIRouter(prefix="/t/{tenant}", include_in_schema=False)
FORM_PROBLEM = "Laporan belum tersimpan. Perbaiki isian yang ditandai."
READERS = (*TECHNICAL, Role.HEAD_OF_DIVISION, Role.HEAD_OF_DEPARTMENT, Role.LEADER)
"""Who may read a filed report (the recap's readers follow its link); only the technical team files or corrects."""
Reader = Annotated[User, Depends(require(*READERS))]


async def _shown(
    request: Request, tenant: str, request_id: str, values: dict, errors: dict, status: int = 200, acts: bool = True
):
    try:
        day = await actions.day_meeting(request, tenant, request_id)
    except DomainRuleBroken as broken:
        return render(request, tenant, "pesan.html", {"message": broken.message}, status=broken.status)
    zone, m = actions.zone_of(request, tenant), day.meeting
    defaults = report_values(m.report, zone) if m.report else form_values(m, day.venue, zone)
    return render(
        request,
        tenant,
        "laporan.html",
        {
            "item": day,
            "values": defaults | values,
            "errors": errors,
            "labels": LABELS,
            "report": m.report,
            "acts": acts,
            "problem": FORM_PROBLEM if errors else None,
        },
        status=status,
    )


@router.get("/rapat/{request_id}/laporan", response_class=HTMLResponse)
async def report_form(tenant: str, request_id: UUID, request: Request, user: Reader):
    """The form until the report is filed; then the report as filed or last corrected, and its corrections."""
    return await _shown(request, tenant, str(request_id), {}, {}, acts=user.may(tenant, frozenset(TECHNICAL)))


@router.post("/rapat/{request_id}/laporan/perbaikan", response_class=HTMLResponse)
async def correct_report(tenant: str, request_id: UUID, request: Request, user: Technician):
    """Perbaikan laporan: the corrected report and why, recorded as its own event."""
    form = await request.form()
    entered = {name: str(form.get(name) or "") for name in LABELS}
    report, errors = report_from_form(form, actions.zone_of(request, tenant))
    reason = entered["reason"].strip()[:1000]
    if not reason:
        errors["reason"] = "wajib diisi: tuliskan apa yang diperbaiki dan mengapa"
    if report is not None and not errors:
        runtime, ctx = actions.context(request, tenant)
        try:
            async with runtime.transaction() as conn:
                await execution.correct_report(
                    conn,
                    ctx,
                    tenant,
                    str(request_id),
                    report.model_dump(),
                    reason,
                    user.id,
                    correlation_id_from(request),
                )
            tell(request, "Perbaikan laporan pelaksanaan tersimpan.")
            return RedirectResponse(f"/t/{tenant}/rapat/{request_id}/laporan", status_code=303)
        except DomainRuleBroken as broken:
            errors = {broken.field if broken.field in LABELS else "umum": broken.message}
        except ConcurrencyError:
            errors = {"umum": "Laporan baru saja diubah petugas lain. Muat ulang halaman."}
    return await _shown(request, tenant, str(request_id), entered, errors, status=422, acts=True)


@router.post("/rapat/{request_id}/laporan", response_class=HTMLResponse)
async def submit_report(tenant: str, request_id: UUID, request: Request, user: Technician):
    form = await request.form()
    zone = actions.zone_of(request, tenant)
    entered = {name: str(form.get(name) or "") for name in LABELS}
    report, errors = report_from_form(form, zone)
    if report is not None:
        try:
            await actions.record_held(request, tenant, str(request_id), report)
            meeting = await actions.meeting(request, tenant, str(request_id))
            tell(request, "Laporan pelaksanaan tersimpan. Rapat tercatat telah dilaksanakan.")
            return back_to_day(tenant, meeting.starts_at.astimezone(zone).date(), str(request_id))
        except DomainRuleBroken as broken:
            errors = {broken.field if broken.field in LABELS else "umum": broken.message}
        except ConcurrencyError:
            errors = {"umum": "Laporan baru saja dibuat petugas lain. Muat ulang halaman."}
    return await _shown(request, tenant, str(request_id), entered, errors, status=422)
