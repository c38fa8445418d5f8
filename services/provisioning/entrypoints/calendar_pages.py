"""Langganan kalender: each person's secret feed addresses, and the feeds their calendars read."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from provisioning.adapters import calendar_feeds
from provisioning.adapters.ics import calendar_of
from provisioning.domain.calendar_feed import SCOPE_TITLES, SUBSCRIBERS, Scope, entry_of, scopes_for
from provisioning.entrypoints.actions import context
from provisioning.entrypoints.page_support import render, tell
from shared.auth import User, require
from shared.domain import DomainRuleBroken
from shared.http.clock import now_of

router = APIRouter(prefix="/t/{tenant}", include_in_schema=False)


def _scopes(user: User, tenant: str) -> list[Scope]:
    scopes = scopes_for(user.roles_in(tenant), user.agency)
    if not scopes:
        raise DomainRuleBroken(
            "kalender", "akun Anda tidak memiliki rapat untuk diikuti di kalender dinas ini", status=403
        )
    return scopes


@router.get("/kalender", response_class=HTMLResponse)
async def subscriptions(tenant: str, request: Request, user: User = Depends(require(*SUBSCRIBERS))):
    """The person's feed addresses, one per scope their roles give, with how to subscribe."""
    runtime, _ = context(request, tenant)
    async with runtime.transaction() as conn:
        feeds = [
            await calendar_feeds.feed_of(conn, tenant, user.id, scope, user.agency) for scope in _scopes(user, tenant)
        ]
    public = runtime.settings.service_url_map().get("provisioning") or str(request.base_url).rstrip("/")
    return render(
        request,
        tenant,
        "kalender.html",
        {
            "feeds": [
                (SCOPE_TITLES[feed.scope], feed.scope.value, f"{public}/t/{tenant}/kalender/{feed.token}.ics")
                for feed in feeds
            ]
        },
    )


@router.post("/kalender/{which}/baru")
async def renew(tenant: str, which: str, request: Request, user: User = Depends(require(*SUBSCRIBERS))):
    """Alamat baru: the old address stops working (it was shared by mistake, a phone was lost)."""
    yours = _scopes(user, tenant)
    scope = next((scope for scope in yours if scope.value == which), None)
    if scope is None:
        raise DomainRuleBroken("which", "Anda tidak memiliki kalender itu", status=404)
    runtime, _ = context(request, tenant)
    async with runtime.transaction() as conn:
        await calendar_feeds.renew(conn, tenant, user.id, scope)
    tell(request, f"Alamat baru untuk \u201c{SCOPE_TITLES[scope]}\u201d sudah dibuat; alamat lama tidak berlaku lagi.")
    return RedirectResponse(f"/t/{tenant}/kalender", status_code=303)


@router.get("/kalender/{token}.ics")
async def feed(tenant: str, token: str, request: Request) -> Response:
    """The calendar a subscriber's app reads; the secret address is the only key."""
    runtime, _ = context(request, tenant)
    now = now_of(request)
    async with runtime.pool.acquire() as conn:
        subscribed = await calendar_feeds.feed_by_token(conn, tenant, token)
        if subscribed is None:
            raise DomainRuleBroken("token", "alamat kalender tidak dikenal atau sudah diganti", status=404)
        booked = await calendar_feeds.booked_for(conn, subscribed, now)
    name = f"{SCOPE_TITLES[subscribed.scope]} — {runtime.tenant(tenant).name}"
    body = calendar_of(name, [entry_of(b) for b in booked], now)
    return Response(body, media_type="text/calendar; charset=utf-8", headers={"Cache-Control": "private, max-age=300"})
