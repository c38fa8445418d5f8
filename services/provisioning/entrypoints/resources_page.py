"""Sumber daya: the tenant admin's (and the technical team's) page for host accounts, operators and their
leave, kits, venues and settings; the same bodies and adapters as the resources API."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, ValidationError

from provisioning.adapters import resources
from provisioning.entrypoints import actions
from provisioning.entrypoints.page_support import render, tell
from provisioning.entrypoints.resources_api import Account, KitBody, Leave, OperatorBody, SettingsBody, VenueBody
from provisioning.service_layer import resource_changes as changes
from shared.auth import Role, User, require
from shared.domain import DomainRuleBroken
from shared.http import field_errors

router = APIRouter(prefix="/t/{tenant}", include_in_schema=False)
Manager = Annotated[User, Depends(require(Role.TECHNICAL_TEAM, Role.TENANT_ADMIN))]
DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
ID_FIELD = {
    "akun": "account_id",
    "operator": "user_id",
    "cuti": "user_id",
    "perlengkapan": "kit_id",
    "lokasi": "venue_id",
}
BODIES: dict[str, type[BaseModel]] = {
    "akun": Account,
    "operator": OperatorBody,
    "cuti": Leave,
    "perlengkapan": KitBody,
    "lokasi": VenueBody,
    "pengaturan": SettingsBody,
}
DONE = {
    "akun": "Akun host {} tersimpan.",
    "operator": "Operator {} tersimpan.",
    "cuti": "Cuti operator {} tercatat.",
    "perlengkapan": "Perlengkapan {} tersimpan.",
    "lokasi": "Lokasi {} tersimpan.",
    "pengaturan": "Pengaturan tersimpan.",
}
SLUG = r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$"


def _fields(kind: str, form) -> dict:
    """The form as the API's body: empty fields left out (the body's default), lists and checkboxes read."""
    text = {k: str(v).strip() for k, v in form.items() if k not in ("csrf_token", "id", "form_key") and str(v).strip()}
    if kind in ("akun", "operator", "perlengkapan", "lokasi"):
        text["active"] = form.get("active") == "ya"
    if kind == "operator":
        text["working_days"] = [int(d) for d in form.getlist("working_days") if str(d).isdigit()]
    if kind == "perlengkapan":
        text["items"] = [line.strip() for line in str(form.get("items") or "").splitlines() if line.strip()]
    if kind == "pengaturan" and "stream_key" in text and not text.get("stream_url"):
        text.pop("stream_key")
    return text


def _checked_id(kind: str, form) -> tuple[str, dict[str, str]]:
    found = str(form.get("id") or "").strip()
    if kind == "pengaturan":
        return "", {}
    if not re.match(SLUG, found):
        return found, {"id": "wajib diisi: huruf, angka, titik, @ atau tanda hubung, paling banyak 100 karakter"}
    return found, {}


SAVES = {
    "akun": changes.save_account,
    "operator": changes.save_operator,
    "cuti": changes.save_leave,
    "perlengkapan": changes.save_kit,
    "lokasi": changes.save_venue,
    "pengaturan": changes.save_tenant_settings,
}


async def _page(request: Request, tenant: str, failed: dict | None = None, status: int = 200) -> HTMLResponse:
    runtime, _ = actions.context(request, tenant)
    async with runtime.pool.acquire() as conn:
        listed = {
            kind: await resources.listed(conn, tenant, kind) for kind in ("accounts", "operators", "kits", "venues")
        }
        settings = await resources.shown_settings(conn, tenant)
        leave = await resources.leave_by_operator(conn, tenant)
    return render(
        request,
        tenant,
        "sumber_daya.html",
        {**listed, "settings": settings, "leave": leave, "days": DAYS, "failed": failed or {}, "manages": True},
        status=status,
    )


@router.get("/sumber-daya", response_class=HTMLResponse)
async def resources_page(tenant: str, request: Request, user: Manager):
    return await _page(request, tenant)


@router.post("/sumber-daya/{kind}", response_class=HTMLResponse)
async def save_resource(tenant: str, kind: str, request: Request, user: Manager):
    """Add or change one account, operator, kit or venue (unticking `aktif` deactivates it), record leave,
    or save the settings; a refusal is shown at its field and nothing is stored."""
    if kind not in BODIES:
        raise DomainRuleBroken("kind", "halaman tidak dikenal", status=404)
    form = await request.form()
    resource_id, errors = _checked_id(kind, form)
    body = None
    try:
        body = BODIES[kind].model_validate(_fields(kind, form))
    except ValidationError as invalid:
        errors |= {e["field"]: e["rule"] for e in field_errors(invalid.errors())}
    if body is not None and not errors:
        try:
            async with actions.context(request, tenant)[0].transaction() as conn:
                await SAVES[kind](conn, tenant, resource_id, body)
            tell(request, DONE[kind].format(resource_id))
            return RedirectResponse(f"/t/{tenant}/sumber-daya#{kind}", status_code=303)
        except DomainRuleBroken as broken:
            errors = {"id" if broken.field == "user_id" else broken.field: broken.message}
    entered = {k: str(v) for k, v in form.items() if k != "csrf_token"}
    key = f"{kind}:{form.get('form_key') or 'baru'}"
    return await _page(request, tenant, {"key": key, "values": entered, "errors": errors}, 422)
