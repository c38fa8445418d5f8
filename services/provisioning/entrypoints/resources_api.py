"""Resources of a tenant as a JSON API: host accounts, operators and leave, kits, venues, buffers;
and the day's schedule and account suggestions."""

from __future__ import annotations

from datetime import date
from typing import Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from pydantic import AwareDatetime, BaseModel, ConfigDict, EmailStr, Field

from provisioning.adapters import bookings, resources
from provisioning.entrypoints.views import schedule_view
from provisioning.service_layer.booking import book_host_account
from provisioning.service_layer import resource_changes as changes
from shared.auth import Role, require

router = APIRouter(
    prefix="/api/{tenant}",
    tags=["sumber daya penyediaan"],
    dependencies=[Depends(require(Role.TECHNICAL_TEAM, Role.OPERATOR, Role.TENANT_ADMIN))],
)
MANAGERS = Depends(require(Role.TECHNICAL_TEAM, Role.TENANT_ADMIN))
"""Changing accounts, operators, kits, venues and settings; operators may only read."""


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Account(_Body):
    provider: Literal["zoom", "jitsi"] = "zoom"
    host_user: str = Field(min_length=1, max_length=200, description="Zoom user id or email of the licensed host.")
    license: Literal["pro", "business"] = "pro"
    daily_cap: int = Field(default=100, gt=0)
    active: bool = True


class OperatorBody(_Body):
    working_days: list[int] = Field(default=[1, 2, 3, 4, 5], description="ISO weekdays, 1 = Senin.")
    zoom_email: EmailStr | None = Field(default=None, description="Zoom sign-in (work account): alternative host.")
    active: bool = True


class Leave(_Body):
    first_day: date
    last_day: date


class KitBody(_Body):
    name: str = Field(min_length=1, max_length=200)
    items: list[str] = Field(default_factory=list)
    active: bool = True


class VenueBody(_Body):
    name: str = Field(min_length=1, max_length=200)
    active: bool = True


class SettingsBody(_Body):
    setup_minutes: int = Field(default=30, ge=0, le=240)
    overrun_minutes: int = Field(default=30, ge=0, le=240)
    recording_retention_days: int = Field(default=30, gt=0)
    early_start_minutes: int = Field(
        default=15, ge=0, le=10080, description="How long before the start an operator may record it."
    )
    stream_url: str | None = Field(
        default=None,
        max_length=1024,
        pattern=r"^rtmps?://\S+$",
        description="RTMP ingest, e.g. rtmp://a.rtmp.youtube.com/live2; none: no streaming.",
    )
    stream_key: str | None = Field(
        default=None, min_length=1, max_length=512, description="Secret; left out keeps the stored key; never shown."
    )
    stream_page_url: str | None = Field(
        default=None,
        max_length=1024,
        pattern=r"^https?://\S+$",
        description="Public watch page, e.g. the YouTube channel's live page.",
    )


def _runtime(request: Request, tenant: str):
    runtime = request.app.state.runtime
    runtime.tenant(tenant)
    return runtime


@router.get("/resources/{kind}")
async def listed(
    tenant: str, kind: Literal["accounts", "operators", "kits", "venues", "settings"], request: Request
) -> list[dict] | dict:
    """The settings are one object, with `stream_key_set` in place of the key."""
    async with _runtime(request, tenant).pool.acquire() as conn:
        if kind == "settings":
            return await resources.shown_settings(conn, tenant)
        return await resources.listed(conn, tenant, kind)


async def _saved(request: Request, tenant: str, save, resource_id: str, body: BaseModel):
    async with _runtime(request, tenant).transaction() as conn:
        return await save(conn, tenant, resource_id, body)


@router.put("/resources/accounts/{account_id}", dependencies=[MANAGERS])
async def put_account(tenant: str, account_id: str, body: Account, request: Request) -> dict:
    await _saved(request, tenant, changes.save_account, account_id, body)
    return {"account_id": account_id, **body.model_dump()}


@router.put("/resources/operators/{user_id}", dependencies=[MANAGERS])
async def put_operator(tenant: str, user_id: str, body: OperatorBody, request: Request) -> dict:
    await _saved(request, tenant, changes.save_operator, user_id, body)
    return {"user_id": user_id, **body.model_dump()}


@router.post("/resources/operators/{user_id}/leave", status_code=201, dependencies=[MANAGERS])
async def add_leave(tenant: str, user_id: str, body: Leave, request: Request) -> dict:
    await _saved(request, tenant, changes.save_leave, user_id, body)
    return {"user_id": user_id, **body.model_dump()}


@router.put("/resources/kits/{kit_id}", dependencies=[MANAGERS])
async def put_kit(tenant: str, kit_id: str, body: KitBody, request: Request) -> dict:
    await _saved(request, tenant, changes.save_kit, kit_id, body)
    return {"kit_id": kit_id, **body.model_dump()}


@router.put("/resources/venues/{venue_id}", dependencies=[MANAGERS])
async def put_venue(tenant: str, venue_id: str, body: VenueBody, request: Request) -> dict:
    await _saved(request, tenant, changes.save_venue, venue_id, body)
    return {"venue_id": venue_id, **body.model_dump()}


@router.put("/resources/settings", dependencies=[MANAGERS])
async def put_settings(tenant: str, body: SettingsBody, request: Request) -> dict:
    return await _saved(request, tenant, changes.save_tenant_settings, "", body)


@router.get("/schedule")
async def schedule(tenant: str, day: date, request: Request) -> dict:
    """Jadwal akun, operator dan perlengkapan per hari, in the tenant's time zone."""
    runtime = _runtime(request, tenant)
    async with runtime.pool.acquire() as conn:
        rows = await bookings.schedule_by_day(conn, tenant, day, ZoneInfo(runtime.tenant(tenant).time_zone))
    return {"day": day, **schedule_view(rows)}


@router.get("/suggestions/account")
async def suggest_account(tenant: str, starts_at: AwareDatetime, ends_at: AwareDatetime, request: Request) -> dict:
    """The least-loaded free account for a time, or a 409 naming conflicts and the nearest free times."""
    async with _runtime(request, tenant).transaction() as conn:
        buffers, _ = await resources.settings_of(conn, tenant)
        window = buffers.window(starts_at, ends_at)
        tx = conn.transaction()
        await tx.start()
        try:
            account = await book_host_account(conn, tenant, "00000000-0000-0000-0000-000000000000", window)
        finally:
            await tx.rollback()  # a suggestion books nothing
    return {
        "account_id": account.account_id,
        "provider": account.provider,
        "license": account.license,
        "booked_from": window.starts,
        "booked_until": window.ends,
    }
