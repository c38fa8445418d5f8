"""Penugasan petugas: the head of division or the technical team assigns operators, kit and venue to a
meeting, seeing from the schedule what is already booked at its time; the same use case as the API's `/crew`."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from provisioning.entrypoints import actions
from provisioning.entrypoints.api import Assigner
from provisioning.entrypoints.page_support import back_to_day, render, tell
from provisioning.service_layer import execution
from provisioning.service_layer.crew import crew_choices
from shared.domain import DomainRuleBroken
from shared.eventstore import ConcurrencyError
from shared.http import correlation_id_from

router = APIRouter(prefix="/t/{tenant}", include_in_schema=False)
FIELDS = {"operators": "operators", "kit_id": "kit_id", "venue_id": "venue_id"}


async def _shown(
    request: Request, tenant: str, request_id: str, errors: dict, status: int = 200, chosen: dict | None = None
) -> HTMLResponse:
    try:
        day = await actions.day_meeting(request, tenant, request_id)
    except DomainRuleBroken as broken:
        return render(request, tenant, "pesan.html", {"message": broken.message}, status=broken.status)
    runtime, _ = actions.context(request, tenant)
    async with runtime.pool.acquire() as conn:
        choices = await crew_choices(conn, tenant, day.meeting, actions.zone_of(request, tenant))
    if chosen is not None:
        for kind, picked in chosen.items():
            for choice in choices[kind]:
                choice.chosen = choice.resource_id in picked
    return render(request, tenant, "petugas.html", {"item": day, "choices": choices, "errors": errors}, status=status)


@router.get("/rapat/{request_id}/petugas", response_class=HTMLResponse)
async def crew_form(tenant: str, request_id: UUID, request: Request, user: Assigner):
    return await _shown(request, tenant, str(request_id), {})


@router.post("/rapat/{request_id}/petugas", response_class=HTMLResponse)
async def assign_crew(tenant: str, request_id: UUID, request: Request, user: Assigner):
    form = await request.form()
    operators = [str(o) for o in form.getlist("operators")]
    kit_id, venue_id = str(form.get("kit_id") or "") or None, str(form.get("venue_id") or "") or None
    runtime, ctx = actions.context(request, tenant)
    try:
        async with runtime.transaction() as conn:
            missing = await execution.assign_crew(
                conn, ctx, tenant, str(request_id), operators, kit_id, venue_id, correlation_id_from(request)
            )
    except DomainRuleBroken as broken:
        errors = {FIELDS.get(broken.field, "umum"): broken.message}
    except ConcurrencyError:
        errors = {"umum": "Data rapat baru saja diubah petugas lain. Periksa kembali lalu simpan lagi."}
    else:
        bring = f" Wajib dibawa pemohon: {', '.join(missing)}." if missing else ""
        tell(request, "Petugas dan perlengkapan tersimpan." + bring)
        meeting = await actions.meeting(request, tenant, str(request_id))
        return back_to_day(
            tenant, meeting.starts_at.astimezone(actions.zone_of(request, tenant)).date(), str(request_id)
        )
    chosen = {"operator": set(operators), "kit": {kit_id}, "venue": {venue_id}}
    return await _shown(request, tenant, str(request_id), errors, 422, chosen)
