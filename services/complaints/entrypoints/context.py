"""What every complaints entrypoint needs: who acts, the clock, where the complainant's links point."""

from __future__ import annotations

from fastapi import Request

from complaints.service_layer.handlers import Context
from shared.auth import Role
from shared.http import correlation_id_from, now_of

OFFICER = Role.COMPLAINTS_OFFICER
HANDLERS = frozenset({Role.COMPLAINTS_OFFICER, Role.COMPLAINTS_TEAM})


def public_url_of(request: Request) -> str:
    """Complaints' own address as the complainant reaches it (SERVICE_URLS), else this request's."""
    runtime = request.app.state.runtime
    return runtime.settings.service_url_map().get("complaints") or str(request.base_url)


def context_of(request: Request, tenant: str, by: str | None = None) -> Context:
    return Context(
        profile=request.app.state.runtime.tenant(tenant),
        now=now_of(request),
        correlation_id=correlation_id_from(request),
        public_url=public_url_of(request),
        by=by,
    )
