"""What the technical team's pages share: templates, the day asked for, messages after a redirect."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse

from provisioning.entrypoints import actions
from shared.domain import DomainRuleBroken
from shared.web import templates
from shared.calendar.names import ZONE_NAMES, tanggal

pages = templates(Path(__file__).parent.parent)


def jam(moment: datetime, zone) -> str:
    return f"{moment.astimezone(zone):%H.%M}"


pages.env.filters["tanggal"] = tanggal
pages.env.filters["jam"] = jam


def day_asked(request: Request, tenant: str, hari: str | None) -> date:
    """`?hari=YYYY-MM-DD`, else today in the tenant's zone."""
    if not hari:
        return actions.today(request, tenant)
    try:
        return date.fromisoformat(hari)
    except ValueError:
        raise DomainRuleBroken("hari", "tanggal harus ditulis TTTT-BB-HH, misalnya 2026-12-08") from None


def tell(request: Request, text: str, error: bool = False) -> None:
    """A message shown once, on the page the browser is sent to next."""
    request.session["pesan"] = {"text": text, "error": error}


def back_to_day(tenant: str, day: date, request_id: str | None = None) -> RedirectResponse:
    anchor = f"#rapat-{request_id}" if request_id else ""
    return RedirectResponse(f"/t/{quote(tenant)}/hari-ini?hari={day.isoformat()}{anchor}", status_code=303)


def render(request: Request, tenant: str, name: str, context: dict, status: int = 200) -> HTMLResponse:
    profile = request.app.state.runtime.tenant(tenant)
    return pages.TemplateResponse(
        request,
        name,
        {
            "tenant": tenant,
            "tenant_name": profile.name,
            "zone": actions.zone_of(request, tenant),
            "zone_name": ZONE_NAMES.get(profile.time_zone, profile.time_zone),
            "csrf": request.session.get("csrf", ""),
            "pesan": request.session.pop("pesan", None),
            **context,
        },
        status_code=status,
    )
