"""Who may do what with a request: its agency's staff, or the department's officials.

A requester (agency staff) acts only for the agency in their identity; verifiers and tenant
admins may act for any agency (a letter entered on the requester's behalf).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from shared.auth import STAFF, Forbidden, Role, User, require
from shared.domain import DomainRuleBroken

SUBMITTERS = (Role.REQUESTER, Role.VERIFIER, Role.TENANT_ADMIN)
AMENDABLE = frozenset({"submitted", "amended", "returned", "rescheduled"})
"""Statuses in which intake has not heard of verification: the requester may still correct the request."""
CLOSED = frozenset({"withdrawn", "rejected", "held"})
Submitter = Annotated[User, Depends(require(*SUBMITTERS))]


def is_staff(user: User | None, tenant: str) -> bool:
    return user is not None and user.may(tenant, STAFF)


def check_agency(user: User, tenant: str, agency: str) -> None:
    if not is_staff(user, tenant) and user.agency != agency:
        raise Forbidden(f"Anda hanya dapat mengurus permohonan instansi Anda ({user.agency or 'tidak diketahui'}).")


def may_see_meeting(user: User | None, tenant: str, agency: str) -> bool:
    """The join link and passcode: for the requesting agency's staff and the department only."""
    if user is None:
        return False
    return is_staff(user, tenant) or (Role.REQUESTER in user.roles_in(tenant) and user.agency == agency)


def may_act_for(user: User | None, tenant: str, agency: str) -> bool:
    """Withdraw or amend: a submitter of the requesting agency, or the department's submitting staff."""
    if user is None or not user.may(tenant, frozenset(SUBMITTERS)):
        return False
    return is_staff(user, tenant) or user.agency == agency


async def own_request(request: Request, tenant: str, request_id: str, user) -> dict:
    """The request's status row; 404 when unknown here, 403 for another agency's requester."""
    runtime = request.app.state.runtime
    async with runtime.pool.acquire() as conn:
        row = await conn.fetchrow(
            "select request_id::text as request_id, tracking_code, agency from request_status"
            " where request_id::text = $1 and tenant = $2",
            request_id,
            tenant,
        )
    if row is None:
        raise DomainRuleBroken("request_id", "permohonan tidak ditemukan", status=404)
    check_agency(user, tenant, row["agency"])
    return dict(row)
