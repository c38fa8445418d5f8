"""Changing a tenant's resources, as the API and the resources page both do it: the rules, then the row."""

from __future__ import annotations

from provisioning.adapters import resources
from provisioning.service_layer.streaming import save_settings
from shared.domain import DomainRuleBroken


async def save_account(conn, tenant: str, account_id: str, body) -> None:
    await resources.put_account(conn, tenant, account_id, **body.model_dump())


async def save_operator(conn, tenant: str, user_id: str, body) -> None:
    if not set(body.working_days) <= set(range(1, 8)):
        raise DomainRuleBroken("working_days", "hari kerja harus angka 1 (Senin) sampai 7 (Minggu)")
    await resources.put_operator(conn, tenant, user_id, body.working_days, body.active, body.zoom_email)


async def save_leave(conn, tenant: str, user_id: str, body) -> None:
    """Cuti operator: an operator on leave is not offered or booked on those days."""
    if body.last_day < body.first_day:
        raise DomainRuleBroken("last_day", "hari terakhir cuti harus sesudah hari pertama")
    if await resources.operator(conn, tenant, user_id) is None:
        raise DomainRuleBroken("user_id", f"operator '{user_id}' tidak terdaftar", status=404)
    await resources.add_leave(conn, tenant, user_id, body.first_day, body.last_day)


async def save_kit(conn, tenant: str, kit_id: str, body) -> None:
    await resources.put_kit(conn, tenant, kit_id, body.name, body.items, body.active)


async def save_venue(conn, tenant: str, venue_id: str, body) -> None:
    await resources.put_venue(conn, tenant, venue_id, body.name, body.active)


async def save_tenant_settings(conn, tenant: str, _: str, body) -> dict:
    return await save_settings(conn, tenant, body.model_dump())
