"""The technical team's pages (Bahasa Indonesia): the schedule by day, today's meetings, checks, start and end."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from provisioning.adapters import resources
from provisioning.domain.readiness import CHECK_NAMES
from provisioning.entrypoints import actions
from provisioning.entrypoints.api import ASSIGNERS, TECHNICAL, Assigner, Technician
from provisioning.entrypoints.bodies import Failure
from provisioning.entrypoints.page_support import back_to_day, day_asked, render, tell
from provisioning.entrypoints.timeline import sections, span_of
from shared.auth import Role
from shared.domain import DomainRuleBroken
from shared.eventstore import ConcurrencyError

router = APIRouter(prefix="/t/{tenant}", include_in_schema=False)
MANAGERS = frozenset({Role.TECHNICAL_TEAM, Role.TENANT_ADMIN})
CHANGED_MEANWHILE = "Data rapat baru saja diubah petugas lain. Periksa kembali lalu ulangi bila perlu."
MOMENT_DONE = {"started": "Waktu mulai rapat tercatat.", "ended": "Waktu selesai rapat tercatat."}
FAILURE_REASONS = {
    "no_link_in_time": "Tautan rapat tidak tersedia tepat waktu",
    "equipment_missing": "Peralatan tidak tersedia",
    "not_held": "Rapat tidak terlaksana",
}


@router.get("/jadwal", response_class=HTMLResponse)
async def schedule(tenant: str, request: Request, user: Assigner, hari: str | None = None):
    """Jadwal akun host, operator, perlengkapan dan lokasi per hari."""
    day = await actions.day(request, tenant, day_asked(request, tenant, hari))
    async with request.app.state.runtime.pool.acquire() as conn:
        listed = {
            kind: await resources.listed(conn, tenant, kind) for kind in ("accounts", "operators", "kits", "venues")
        }
    span = span_of(day, request.app.state.runtime.tenant(tenant).working_hours.by_weekday())
    return render(
        request,
        tenant,
        "jadwal.html",
        {
            "manages": user.may(tenant, MANAGERS),
            "day": day.day,
            "span": span,
            "sections": sections(day, span, listed),
            "previous": day.day - timedelta(days=1),
            "next": day.day + timedelta(days=1),
        },
    )


@router.get("/hari-ini", response_class=HTMLResponse)
async def today(tenant: str, request: Request, user: Assigner, hari: str | None = None):
    """Rapat hari ini dengan daftar kesiapannya; `?hari=` shows another day the same way. The head of
    division reads it and assigns the crew; the technical team acts on it."""
    which = day_asked(request, tenant, hari)
    day = await actions.day(request, tenant, which)
    return render(
        request,
        tenant,
        "hari_ini.html",
        {
            "day": which,
            "is_today": which == actions.today(request, tenant),
            "meetings": day.meetings_starting(),
            "check_names": CHECK_NAMES,
            "failure_reasons": FAILURE_REASONS,
            "me": user.id,
            "acts": user.may(tenant, frozenset(TECHNICAL)),
            "assigns": user.may(tenant, frozenset(ASSIGNERS)),
            "manages": user.may(tenant, MANAGERS),
            "previous": which - timedelta(days=1),
            "next": which + timedelta(days=1),
        },
    )


async def _acted(request: Request, tenant: str, request_id: str, action, done: str) -> RedirectResponse:
    """Do `action`; the outcome (or the rule it broke) is told on the day's page."""
    form = await request.form()
    day = day_asked(request, tenant, str(form.get("hari") or ""))
    try:
        await action()
        tell(request, done)
    except DomainRuleBroken as broken:
        tell(request, broken.message, error=True)
    except ConcurrencyError:
        tell(request, CHANGED_MEANWHILE, error=True)
    return back_to_day(tenant, day, request_id)


@router.post("/rapat/{request_id}/periksa/{check}")
async def record_check(tenant: str, request_id: UUID, check: str, request: Request, user: Technician):
    """One readiness check, recorded as the logged-in user."""
    note = str((await request.form()).get("catatan") or "")[:1000]
    return await _acted(
        request,
        tenant,
        str(request_id),
        lambda: actions.record_check(request, tenant, str(request_id), check, user.id, note),
        f"{CHECK_NAMES.get(check, check)}: tercatat selesai.",
    )


@router.post("/rapat/{request_id}/mulai")
async def record_start(tenant: str, request_id: UUID, request: Request, user: Technician):
    return await _acted(
        request,
        tenant,
        str(request_id),
        lambda: actions.record_start_or_end(request, tenant, str(request_id), "started"),
        MOMENT_DONE["started"],
    )


@router.post("/rapat/{request_id}/selesai")
async def record_end(tenant: str, request_id: UUID, request: Request, user: Technician):
    return await _acted(
        request,
        tenant,
        str(request_id),
        lambda: actions.record_start_or_end(request, tenant, str(request_id), "ended"),
        MOMENT_DONE["ended"],
    )


@router.post("/rapat/{request_id}/tidak-terlaksana")
async def record_failed(tenant: str, request_id: UUID, request: Request, user: Technician):
    """Catat tidak terlaksana: the reason chosen from the list, an optional note."""
    form = await request.form()
    reason, note = str(form.get("alasan") or ""), str(form.get("catatan") or "")[:1000]

    async def fail():
        if reason not in FAILURE_REASONS:
            raise DomainRuleBroken("alasan", "Pilih alasan rapat tidak terlaksana.")
        await actions.record_failed(request, tenant, str(request_id), Failure(reason=reason, note=note), user.id)

    return await _acted(
        request,
        tenant,
        str(request_id),
        fail,
        f"Rapat dicatat tidak terlaksana: {FAILURE_REASONS.get(reason, reason)}.",
    )
