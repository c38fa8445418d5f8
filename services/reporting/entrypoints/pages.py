"""The leaders' and staff's pages: the year at a glance, and each period's recap and evaluation."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from reporting.adapters.projections import usage_projection
from reporting.adapters.views import figures
from reporting.domain.evaluation import evaluate, in_register
from reporting.domain.periods import Period
from reporting.domain.register import outcome
from reporting.domain.steps import with_minutes_used
from reporting.entrypoints import labels
from reporting.entrypoints.api import EVALUATORS, READERS, Finding, period_of, store_finding, with_names
from shared.http import correlation_id_from, now_of
from reporting.entrypoints.charts import charts_of
from reporting.entrypoints.register_filters import FILTERS, behind_step, described, matching
from reporting.service_layer.evaluations import finding_shown, history_of, publish_evaluation
from shared.auth import User, require
from shared.web import templates
from shared.web.formatting import ZONE_NAMES

router = APIRouter(include_in_schema=False, dependencies=[Depends(require(*READERS))])
pages = templates(Path(__file__).parent.parent)
MONTHS = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
SHOWN = [
    ("requests_submitted", "Permohonan masuk"),
    ("meetings_held", "Rapat terlaksana"),
    ("requests_rejected", "Ditolak"),
    ("complaints_received", "Pengaduan"),
    ("suggestions_received", "Saran"),
    ("appreciations_received", "Apresiasi"),
]


def compliance(month: dict[str, int]) -> int | None:
    """Share of steps that kept their service-time standard, in percent."""
    done = month.get("steps_met", 0) + month.get("steps_missed", 0)
    return round(100 * month.get("steps_met", 0) / done) if done else None


@router.get("/t/{tenant}/laporan", response_class=HTMLResponse)
async def year_page(tenant: str, request: Request, tahun: int = Query(default=None, ge=2020, le=2100)):
    runtime = request.app.state.runtime
    profile = runtime.tenant(tenant)
    year = tahun or now_of(request).year
    projection = usage_projection(runtime.tenants)
    async with runtime.pool.acquire() as conn:
        months = [await figures(conn, projection, tenant, "month", f"{year}-{m:02d}") for m in range(1, 13)]
        total = await figures(conn, projection, tenant, "year", str(year))
    peak = max([1, *[m.get(key, 0) for m in months for key, _ in SHOWN]])
    return pages.TemplateResponse(
        request,
        "year.html",
        {
            "profile": profile,
            "year": year,
            "months": months,
            "labels": MONTHS,
            "shown": SHOWN,
            "peak": peak,
            "total": total,
            "compliance": [compliance(m) for m in months],
            "year_compliance": compliance(total),
            "evaluation_url": f"/t/{tenant}/evaluasi",
        },
    )


@router.get("/t/{tenant}/evaluasi")
async def current_evaluation(tenant: str, request: Request):
    """Opens at the period the tenant's SOP evaluates by (per meeting: the month's meetings)."""
    profile = request.app.state.runtime.tenant(tenant)
    kind = labels.DEFAULT_KIND[profile.evaluation_period.value]
    period = Period.containing(kind, profile.calendar().local(now_of(request)))
    return RedirectResponse(period_url(tenant, period), status_code=303)


def period_url(tenant: str, period: Period, tail: str = "", **query) -> str:
    shown = {k: v for k, v in query.items() if v not in (None, "")}
    return f"/t/{tenant}/evaluasi/{labels.SLUG_OF[period.kind]}/{period.key}{tail}" + (
        f"?{urlencode(shown)}" if shown else ""
    )


async def _loaded(request: Request, tenant: str, slug: str, key: str, agency: str | None):
    runtime = request.app.state.runtime
    profile = runtime.tenant(tenant)
    period = period_of(labels.KIND_SLUGS.get(slug, "month"), key)
    async with runtime.pool.acquire() as conn:
        found = await history_of(conn, runtime.tenants, tenant)
    evaluation = evaluate(found, period, profile, now_of(request), agency or None)
    return profile, period, found, await with_names(request, tenant, evaluation)


def _context(request: Request, profile, period: Period, evaluation, **extra) -> dict:
    tenant = profile.id
    return {
        "profile": profile,
        "period": period,
        "e": evaluation,
        "labels": labels,
        "zone": profile.time_zone,
        "zone_name": ZONE_NAMES.get(profile.time_zone, profile.time_zone),
        "url": lambda p=period, tail="", **q: period_url(tenant, p, tail, **q),
        "csrf": request.session.get("csrf", ""),
        "pesan": request.session.pop("pesan", None),
        **extra,
    }


@router.get("/t/{tenant}/evaluasi/{slug}/{key}", response_class=HTMLResponse)
async def evaluation_page(tenant: str, slug: str, key: str, request: Request, instansi: str | None = None):
    profile, period, found, evaluation = await _loaded(request, tenant, slug, key, instansi)
    agencies = sorted({row["agency"] for row in in_register(found.requests, period, profile, None)})
    user = User.from_session(request.session["user"]) if request.session.get("user") else None
    may_record = user is not None and user.may(tenant, frozenset(EVALUATORS))
    return pages.TemplateResponse(
        request,
        "evaluasi.html",
        _context(
            request, profile, period, evaluation, agencies=agencies, charts=charts_of(evaluation), may_record=may_record
        ),
    )


@router.get("/t/{tenant}/evaluasi/{slug}/{key}/permohonan", response_class=HTMLResponse)
async def requests_page(
    tenant: str, slug: str, key: str, request: Request, langkah: str | None = None, tepat: str | None = None
):
    filters = {name: request.query_params.get(name) for name in FILTERS if request.query_params.get(name)}
    profile, period, found, evaluation = await _loaded(request, tenant, slug, key, filters.get("instansi"))
    rows = behind_step(evaluation, found, langkah, tepat) if langkah else matching(evaluation.register, filters)
    return pages.TemplateResponse(
        request,
        "permohonan.html",
        _context(request, profile, period, evaluation, rows=rows, shown=described(filters, evaluation, langkah, tepat)),
    )


@router.get("/t/{tenant}/evaluasi/permohonan/{request_id}", response_class=HTMLResponse)
async def request_page(tenant: str, request_id: str, request: Request):
    runtime = request.app.state.runtime
    profile = runtime.tenant(tenant)
    async with runtime.pool.acquire() as conn:
        found = await history_of(conn, runtime.tenants, tenant)
    row = next((r for r in found.requests if r["request_id"] == request_id), None)
    steps = with_minutes_used([s for s in found.steps if s["request_id"] == request_id], profile)
    period = Period.containing(
        "month",
        profile.calendar().local(
            datetime.fromisoformat(row["starts_at"]) if row and row.get("starts_at") else now_of(request)
        ),
    )
    return pages.TemplateResponse(
        request,
        "satu_permohonan.html",
        _context(
            request,
            profile,
            period,
            None,
            row=row and (row | {"outcome": outcome(row)}),
            steps=steps,
            step_names={s.id: s.name for s in [*profile.approval_steps, *profile.delivery_steps]},
        ),
        status_code=200 if row else 404,
    )


@router.post("/t/{tenant}/evaluasi/{slug}/{key}/terbitkan")
async def publish_page(tenant: str, slug: str, key: str, request: Request, user: User = Depends(require(*EVALUATORS))):
    """Terbitkan: the period's headline figures go to other agencies (the public feed)."""
    _, period, _, evaluation = await _loaded(request, tenant, slug, key, None)
    async with request.app.state.runtime.transaction() as conn:
        await publish_evaluation(
            conn,
            tenant=tenant,
            evaluation=evaluation,
            by=user.id,
            now=now_of(request),
            correlation_id=correlation_id_from(request),
        )
    request.session["pesan"] = {"text": f"Evaluasi {period.label} diterbitkan untuk instansi lain.", "error": False}
    return RedirectResponse(period_url(tenant, period) + "#terbitkan", status_code=303)


@router.post("/t/{tenant}/evaluasi/{slug}/{key}/temuan")
async def record_finding_page(
    tenant: str,
    slug: str,
    key: str,
    request: Request,
    user: User = Depends(require(*EVALUATORS)),
    finding: str = Form(""),
    follow_up: str = Form(""),
    follow_up_due: str = Form(""),
):
    period = period_of(labels.KIND_SLUGS.get(slug, "month"), key)
    problems = finding_problems(finding, follow_up, follow_up_due)
    if problems:
        request.session["pesan"] = {"text": " ".join(problems), "error": True}
    else:
        finding_id = await store_finding(
            request,
            tenant,
            period,
            Finding(
                finding=finding.strip(),
                follow_up=follow_up.strip(),
                follow_up_due=date.fromisoformat(follow_up_due) if follow_up_due else None,
            ),
            user,
        )
        shown = await finding_shown(request.app.state.runtime.pool, tenant, finding_id)
        request.session["pesan"] = {
            "text": "Temuan dan rencana tindak lanjut tercatat."
            + ("" if shown else " Temuan akan tampil di daftar dalam beberapa detik."),
            "error": False,
        }
    return RedirectResponse(period_url(tenant, period) + "#temuan", status_code=303)


def finding_problems(finding: str, follow_up: str, due: str) -> list[str]:
    problems = []
    if len(finding.strip()) < 3:
        problems.append("Temuan: wajib diisi (paling sedikit 3 huruf).")
    if len(follow_up.strip()) < 3:
        problems.append("Rencana tindak lanjut: wajib diisi (paling sedikit 3 huruf).")
    if due:
        try:
            date.fromisoformat(due)
        except ValueError:
            problems.append("Batas waktu tindak lanjut: tanggal tidak valid.")
    return problems
