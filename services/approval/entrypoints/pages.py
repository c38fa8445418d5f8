"""The officials' pages (Bahasa Indonesia): what waits for me, and one request with its actions."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from approval.adapters import cases
from approval.domain.steps import SUPERVISORS, kind_of
from approval.entrypoints import official_action, wording
from approval.entrypoints.api import OFFICIALS, Official
from approval.entrypoints.forms import BODIES, body_of, refusal_of
from approval.entrypoints.official_action import CHANGED_MEANWHILE
from shared.http import now_of
from approval.service_layer import profiles, views
from shared import auth
from shared.domain import DomainRuleBroken
from shared.eventstore import ConcurrencyError
from shared.tenants import Role
from shared.web import templates

router = APIRouter(include_in_schema=False)
pages = templates(Path(__file__).parent.parent)
pages.env.globals.update(
    role_name=wording.role_name,
    time_left=wording.time_left,
    duration=wording.duration,
    used_percent=wording.used_percent,
    event_names=wording.EVENT_NAMES,
    status_names=wording.STATUS_NAMES,
    document_names=wording.DOCUMENT_NAMES,
)
pages.env.filters["waktu"] = wording.when
DONE = {
    "verify": "Permohonan telah diverifikasi.",
    "dispose": "Permohonan telah didisposisikan.",
    "approve": "Tindakan persetujuan telah dicatat.",
    "return": "Permohonan dikembalikan kepada pemohon.",
    "reject": "Penolakan telah dicatat.",
    "reassign": "Permohonan telah dialihkan.",
}


@router.get("/")
async def start(user: auth.User | None = Depends(auth.optional_user)):
    """Only redirects: to login, or to the first department where the user is an official."""
    if user is None:
        return RedirectResponse("/login?next=/", status_code=303)
    tenants = sorted(t for t, roles in user.roles_by_tenant.items() if roles & set(OFFICIALS))
    if not tenants:
        raise auth.Forbidden("Halaman ini untuk petugas dinas. Pemohon menggunakan portal permohonan.")
    return RedirectResponse(f"/t/{tenants[0]}/kotak-masuk", status_code=303)


async def roles_held(conn, tenant: str, user: auth.User, now) -> list[str]:
    """The step roles the user holds in the tenant, their own or as Plt. today."""
    own = [role.value for role in user.roles_in(tenant) if role.value in Role.__members__.values()]
    acting = await cases.roles_acted_in(conn, tenant, user.id, now)
    return sorted(set(own) | set(acting), key=list(Role).index)


@router.get("/t/{tenant}/kotak-masuk", response_class=HTMLResponse)
async def inbox(tenant: str, request: Request, user: Official):
    runtime, now = request.app.state.runtime, now_of(request)
    profile = runtime.tenant(tenant)
    async with runtime.pool.acquire() as conn:
        roles = await roles_held(conn, tenant, user, now)
        waiting = [(role, await views.inbox(conn, profile, now, Role(role), user.id)) for role in roles]
    return pages.TemplateResponse(
        request, "inbox.html", {"profile": profile, "waiting": waiting, "now": now, "zone": profile.time_zone}
    )


@router.get("/t/{tenant}/permohonan/{request_id}", response_class=HTMLResponse)
async def request_page(tenant: str, request_id: str, request: Request, user: Official):
    return await _render(request, tenant, request_id, user, request.session.pop("flash", None))


@router.post("/t/{tenant}/permohonan/{request_id}/{action}")
async def act(tenant: str, request_id: str, action: str, request: Request, user: Official):
    if action not in BODIES:
        raise HTTPException(404)
    try:
        body = body_of(action, await request.form())
        await official_action.act(request, tenant, request_id, action, body, user)
    except ValidationError as refused:
        return await _render(request, tenant, request_id, user, refusal_of(refused), error=True, status=422)
    except (ConcurrencyError, DomainRuleBroken) as refused:
        if official_action.changed_meanwhile(refused):
            return await _render(request, tenant, request_id, user, CHANGED_MEANWHILE, error=True, status=409)
        return await _render(request, tenant, request_id, user, refused.message, error=True, status=refused.status)
    except auth.Forbidden as refused:
        return await _render(request, tenant, request_id, user, refused.message, error=True, status=403)
    request.session["flash"] = DONE[action]
    return RedirectResponse(f"/t/{tenant}/permohonan/{request_id}", status_code=303)


async def _render(
    request: Request,
    tenant: str,
    request_id: str,
    user: auth.User,
    message: str | None,
    error: bool = False,
    status: int = 200,
) -> HTMLResponse:
    runtime, now = request.app.state.runtime, now_of(request)
    profile = runtime.tenant(tenant)
    async with runtime.pool.acquire() as conn:
        row = await cases.case_row(conn, tenant, request_id)
        if row is None or row["status"] == "withdrawn":
            gone = "Permohonan tidak ditemukan." if row is None else "Permohonan ini sudah dibatalkan oleh pemohon."
            return pages.TemplateResponse(request, "not_found.html", {"message": gone}, status_code=404)
        role = _role_on_page(await roles_held(conn, tenant, user, now), row["role"])
        view = await views.request_view(conn, profile, request_id, now, role)
        followed = await profiles.opened_with(conn, profile, row["profile_version"])
    step = next(s for s in followed.approval_steps if s.id == view["step"])
    return pages.TemplateResponse(
        request,
        "request.html",
        {
            "profile": followed,
            "view": view,
            "role": role,
            "kind": kind_of(step).value,
            "step": step,
            "message": message,
            "error": error,
            "zone": profile.time_zone,
            "intake": runtime.settings.service_url_map().get("intake", "").rstrip("/"),
            "csrf": request.session.get("csrf", ""),
        },
        status_code=status,
    )


def _role_on_page(held: list[str], step_role: str) -> Role | None:
    """The step's own role when held, else a supervisor's (who may reassign), else none: read only."""
    if step_role in held:
        return Role(step_role)
    return next((Role(r) for r in held if Role(r) in SUPERVISORS), None)
