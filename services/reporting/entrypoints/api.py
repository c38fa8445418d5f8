"""Reports for leaders: monthly, quarterly and yearly figures and evaluations per tenant."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from reporting.adapters.people import names_of
from reporting.adapters.projections import usage_projection
from reporting.adapters.views import figures
from reporting.domain.periods import Period
from reporting.entrypoints.evaluation_json import as_json
from reporting.service_layer.evaluations import evaluation_of, named, record_finding
from shared.auth import Role, User, require
from shared.http import DomainRuleBroken
from shared.http import correlation_id_from, now_of

READERS = (Role.LEADER, Role.TENANT_ADMIN, Role.HEAD_OF_DEPARTMENT, Role.HEAD_OF_DIVISION, Role.TECHNICAL_TEAM)
EVALUATORS = (Role.HEAD_OF_DIVISION, Role.TENANT_ADMIN)
router = APIRouter(prefix="/api/{tenant}", tags=["laporan"], dependencies=[Depends(require(*READERS))])
Kind = Literal["month", "quarter", "year"]


def period_of(kind: str, key: str) -> Period:
    try:
        return Period.parse(kind, key)
    except ValueError:
        formats = {"month": "TTTT-BB", "quarter": "TTTT-Qn", "year": "TTTT"}
        raise DomainRuleBroken("period", f"periode harus berformat {formats[kind]}", status=422) from None


async def _figures(request: Request, tenant: str, kind: str, period: str) -> dict:
    runtime = request.app.state.runtime
    runtime.tenant(tenant)
    async with runtime.pool.acquire() as conn:
        found = await figures(conn, usage_projection(runtime.tenants), tenant, kind, period)
    return {"tenant": tenant, "period_kind": kind, "period": period, "figures": found}


@router.get("/reports/monthly")
async def monthly(
    tenant: str, request: Request, month: str = Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM")
) -> dict:
    return await _figures(request, tenant, "month", month)


@router.get("/reports/quarterly")
async def quarterly(
    tenant: str, request: Request, quarter: str = Query(pattern=r"^\d{4}-Q[1-4]$", description="YYYY-Qn")
) -> dict:
    return await _figures(request, tenant, "quarter", quarter)


@router.get("/reports/yearly")
async def yearly(tenant: str, request: Request, year: str = Query(pattern=r"^\d{4}$")) -> dict:
    return await _figures(request, tenant, "year", year)


async def load_evaluation(request: Request, tenant: str, kind: str, period: str, agency: str | None):
    runtime = request.app.state.runtime
    profile = runtime.tenant(tenant)
    async with runtime.pool.acquire() as conn:
        return await evaluation_of(conn, runtime.tenants, profile, period_of(kind, period), now_of(request), agency)


@router.get("/evaluations/{kind}/{period}", summary="Rekap dan evaluasi satu periode")
async def evaluation(
    tenant: str,
    kind: Kind,
    period: str,
    request: Request,
    agency: str | None = Query(default=None, description="Hanya satu instansi (OPD)"),
) -> dict:
    return as_json(await load_evaluation(request, tenant, kind, period, agency))


class Finding(BaseModel):
    finding: str = Field(min_length=3, max_length=2000, description="Temuan evaluasi")
    follow_up: str = Field(min_length=3, max_length=2000, description="Rencana tindak lanjut")
    follow_up_due: date | None = None


@router.post("/evaluations/{kind}/{period}/findings", status_code=201, summary="Catat temuan dan tindak lanjut")
async def add_finding(
    tenant: str, kind: Kind, period: str, body: Finding, request: Request, user: User = Depends(require(*EVALUATORS))
) -> dict:
    finding_id = await store_finding(request, tenant, period_of(kind, period), body, user)
    return {"finding_id": finding_id}


async def store_finding(request: Request, tenant: str, period: Period, body: Finding, user: User) -> str:
    runtime = request.app.state.runtime
    runtime.tenant(tenant)
    async with runtime.transaction() as conn:
        return await record_finding(
            conn,
            tenant=tenant,
            period=period,
            finding=body.finding,
            follow_up=body.follow_up,
            follow_up_due=body.follow_up_due,
            by=user.id,
            now=now_of(request),
            correlation_id=correlation_id_from(request),
        )


def viewer_credentials(request: Request) -> dict[str, str]:
    """The viewer's own credentials, so that intake decides and audits what they may read."""
    if request.headers.get("authorization"):
        return {"Authorization": request.headers["authorization"]}
    return {"Cookie": request.headers["cookie"]} if request.headers.get("cookie") else {}


async def with_names(request: Request, tenant: str, evaluation):
    """The evaluation with the register's names, read from intake at render time."""
    intake = request.app.state.runtime.settings.service_url_map().get("intake", "")
    names = await names_of(intake, tenant, [r["request_id"] for r in evaluation.register], viewer_credentials(request))
    return replace(evaluation, register=named(evaluation.register, names))
