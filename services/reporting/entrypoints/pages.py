"""The leaders' page: a year at a glance, month by month, in bars rather than tables."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from reporting.adapters.projections import usage_projection
from reporting.adapters.views import figures
from reporting.entrypoints.api import READERS
from shared.auth import require
from shared.web import templates

router = APIRouter(include_in_schema=False, dependencies=[Depends(require(*READERS))])
pages = templates(Path(__file__).parent.parent)
MONTHS = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
SHOWN = [("requests_submitted", "Permohonan masuk"), ("meetings_held", "Rapat terlaksana"),
         ("requests_rejected", "Ditolak"), ("complaints_received", "Pengaduan")]


def compliance(month: dict[str, int]) -> int | None:
    """Share of steps that kept their service-time standard, in percent."""
    done = month.get("steps_met", 0) + month.get("steps_missed", 0)
    return round(100 * month.get("steps_met", 0) / done) if done else None


@router.get("/t/{tenant}/laporan", response_class=HTMLResponse)
async def year_page(tenant: str, request: Request,
                    tahun: int = Query(default=None, ge=2020, le=2100)):
    runtime = request.app.state.runtime
    profile = runtime.tenant(tenant)
    year = tahun or datetime.now(timezone.utc).year
    projection = usage_projection(runtime.tenants)
    async with runtime.pool.acquire() as conn:
        months = [await figures(conn, projection, tenant, "month", f"{year}-{m:02d}") for m in range(1, 13)]
        total = await figures(conn, projection, tenant, "year", str(year))
    peak = max([1, *[m.get(key, 0) for m in months for key, _ in SHOWN]])
    return pages.TemplateResponse(request, "year.html", {
        "profile": profile, "year": year, "months": months, "labels": MONTHS, "shown": SHOWN, "peak": peak,
        "total": total, "compliance": [compliance(m) for m in months], "year_compliance": compliance(total)})
