"""One official's action on a request, the same for the JSON API and the pages.

The acting official is the logged-in user; `body.role` is the role they act in, which they
must hold themselves or hold as an acting official (Plt.) today.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import Request

from approval.adapters import cases
from approval.domain.case import ApprovalCase
from approval.service_layer import handlers
from shared import auth
from shared.domain import DomainRuleBroken
from shared.eventstore import ConcurrencyError
from shared.http import correlation_id_from, now_of
from shared.tenants import Role

CHANGED_MEANWHILE = (
    "Permohonan ini baru saja ditindaklanjuti oleh petugas lain. Tindakan Anda tidak "
    "dijalankan; berikut keadaan terbarunya."
)


async def may_act_as(conn, tenant: str, user: auth.User, role: Role, now: datetime) -> None:
    """In a role of one's own, or standing in (Plt.) for someone who holds it."""
    if role.value in user.roles_in(tenant):
        return
    if not await cases.officials_stood_in_for(conn, tenant, user.id, role.value, now):
        raise auth.Forbidden(f"Anda tidak memegang peran '{role.value}' di dinas ini, juga tidak sebagai Plt.")


async def act(request: Request, tenant: str, request_id: str, action: str, body, user: auth.User) -> ApprovalCase:
    """Run `action` in one transaction; raises ConcurrencyError or DomainRuleBroken when refused."""
    runtime = request.app.state.runtime
    profile = runtime.tenant(tenant)
    async with runtime.transaction() as conn:
        await may_act_as(conn, tenant, user, body.role, now_of(request))
        return await handlers.act(
            conn,
            profile,
            request_id,
            action,
            now=now_of(request),
            by=user.id,
            correlation_id=correlation_id_from(request),
            **body.model_dump(),
        )


def changed_meanwhile(refused: Exception) -> bool:
    """Someone else acted first: a lost append race or a stale version."""
    return isinstance(refused, ConcurrencyError) or (
        isinstance(refused, DomainRuleBroken) and refused.field == "version" and refused.status == 409
    )
