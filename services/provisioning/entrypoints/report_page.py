"""The execution report's page (laporan pelaksanaan): the same use case as the API's `/held`."""
from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from provisioning.entrypoints import actions
from provisioning.entrypoints.api import Technician
from provisioning.entrypoints.page_support import back_to_day, render, tell
from provisioning.entrypoints.report_form import LABELS, form_values, report_from_form
from shared.domain import DomainRuleBroken
from shared.eventstore import ConcurrencyError

router = APIRouter(prefix="/t/{tenant}", include_in_schema=False)
FORM_PROBLEM = "Laporan belum tersimpan. Perbaiki isian yang ditandai."


async def _shown(request: Request, tenant: str, request_id: str, values: dict, errors: dict, status: int = 200):
    try:
        day = await _day_meeting(request, tenant, request_id)
    except DomainRuleBroken as broken:
        return render(request, tenant, "pesan.html", {"message": broken.message}, status=broken.status)
    defaults = form_values(day.meeting, day.venue, actions.zone_of(request, tenant))
    return render(request, tenant, "laporan.html", {
        "item": day, "values": defaults | values, "errors": errors, "labels": LABELS,
        "problem": FORM_PROBLEM if errors else None}, status=status)


async def _day_meeting(request: Request, tenant: str, request_id: str):
    meeting = await actions.meeting(request, tenant, request_id)
    if not meeting.starts_at or meeting.cancelled:
        raise DomainRuleBroken("request_id", "rapat untuk permohonan ini belum dijadwalkan", status=404)
    day = await actions.day(request, tenant, meeting.starts_at.astimezone(actions.zone_of(request, tenant)).date())
    if request_id not in day.meetings:
        raise DomainRuleBroken("request_id", "rapat untuk permohonan ini tidak memiliki pemesanan", status=404)
    return day.meetings[request_id]


@router.get("/rapat/{request_id}/laporan", response_class=HTMLResponse)
async def report_form(tenant: str, request_id: UUID, request: Request, user: Technician):
    return await _shown(request, tenant, str(request_id), {}, {})


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
