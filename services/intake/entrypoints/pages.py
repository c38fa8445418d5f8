"""Pages for people: the start page and the requester's status page (Bahasa Indonesia)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from intake.adapters.status import status_by_tracking_code
from intake.entrypoints.access import AMENDABLE, CLOSED, may_act_for, may_see_meeting
from intake.entrypoints.start_links import work_by_tenant
from shared.auth import optional_user, role_names
from intake.service_layer.notices import STATUS_LABELS
from shared.web import templates

router = APIRouter(include_in_schema=False)
pages = templates(Path(__file__).parent.parent)

pages.env.globals["role_names"] = role_names


def service_urls(request: Request) -> dict[str, str]:
    return request.app.state.runtime.settings.service_url_map()


@router.get("/", response_class=HTMLResponse)
async def portal(request: Request):
    """The start page: each person sees the links of their own roles (a visitor: the public ones)."""
    runtime, user, urls = request.app.state.runtime, await optional_user(request), service_urls(request)
    tenants = sorted(runtime.tenants.values(), key=lambda t: t.name)
    return pages.TemplateResponse(
        request,
        "portal.html",
        {"tenants": tenants, "work": work_by_tenant(user, tenants, urls), "user": user, "urls": urls},
    )


@router.get("/lacak")
async def find(dinas: str, kode: str):
    return RedirectResponse(f"/t/{dinas}/lacak/{kode.strip().upper()}", status_code=303)


@router.get("/t/{tenant}/lacak/{code}", response_class=HTMLResponse)
async def status_page(tenant: str, code: str, request: Request):
    return await show_status(request, tenant, code)


async def show_status(request: Request, tenant: str, code: str, problem: str = "", status_code: int = 200):
    runtime = request.app.state.runtime
    profile = runtime.tenants.get(tenant)
    found = None
    if profile:
        async with runtime.pool.acquire() as conn:
            found = await status_by_tracking_code(conn, tenant, code)
    if found is None:
        message = f"Tidak ada permohonan dengan kode lacak {code} pada dinas ini."
        return pages.TemplateResponse(request, "not_found.html", {"message": message}, status_code=404)
    user = await optional_user(request)
    shown = found if may_see_meeting(user, tenant, found["agency"]) else found | {"join_url": None, "passcode": None}
    return pages.TemplateResponse(
        request,
        "status.html",
        {
            "item": shown,
            "labels": STATUS_LABELS,
            "zone": profile.time_zone,
            "login_for_link": shown is not found and found.get("join_url"),
            "may_act": may_act_for(user, tenant, found["agency"]),
            "problem": problem,
            "amendable": AMENDABLE,
            "closed": CLOSED,
        },
        status_code=status_code,
    )
