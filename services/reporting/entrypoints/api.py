"""Reports for leaders: monthly, quarterly and yearly figures per tenant."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request

from reporting.adapters.projections import usage_projection
from reporting.adapters.views import figures
from shared.auth import Role, require

READERS = (Role.LEADER, Role.TENANT_ADMIN, Role.HEAD_OF_DEPARTMENT, Role.HEAD_OF_DIVISION)
router = APIRouter(prefix="/api/{tenant}/reports", tags=["laporan"], dependencies=[Depends(require(*READERS))])


async def _figures(request: Request, tenant: str, kind: str, period: str) -> dict:
    runtime = request.app.state.runtime
    runtime.tenant(tenant)
    async with runtime.pool.acquire() as conn:
        found = await figures(conn, usage_projection(runtime.tenants), tenant, kind, period)
    return {"tenant": tenant, "period_kind": kind, "period": period, "figures": found}


@router.get("/monthly")
async def monthly(tenant: str, request: Request,
                  month: str = Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM")) -> dict:
    return await _figures(request, tenant, "month", month)


@router.get("/quarterly")
async def quarterly(tenant: str, request: Request,
                    quarter: str = Query(pattern=r"^\d{4}-Q[1-4]$", description="YYYY-Qn")) -> dict:
    return await _figures(request, tenant, "quarter", quarter)


@router.get("/yearly")
async def yearly(tenant: str, request: Request, year: str = Query(pattern=r"^\d{4}$")) -> dict:
    return await _figures(request, tenant, "year", year)
