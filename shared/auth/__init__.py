"""Identity and access: OIDC login, roles per tenant, CSRF, rate limits, body size limit."""

from __future__ import annotations

import secrets
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from starlette.middleware.sessions import SessionMiddleware

from shared.auth.access import (
    Forbidden,
    IdentityProviderUnavailable,
    NotAuthenticated,
    current_user,
    optional_user,
    require,
)
from shared.auth.identity import ROLE_NAMES, STAFF, Role, User, role_names
from shared.auth.oidc import oauth_client, router
from shared.auth.web_safety import LimitBodySize, TooManyRequests, rate_limited
from shared.config import Settings
from shared.http.errors import problem, wants_page

__all__ = [
    "ROLE_NAMES",
    "STAFF",
    "Forbidden",
    "Role",
    "User",
    "current_user",
    "install_auth",
    "optional_user",
    "rate_limited",
    "require",
    "role_names",
]

SESSION_HOURS = 8


def install_auth(app: FastAPI, settings: Settings) -> None:
    app.state.oidc = oauth_client(settings.oidc_issuer, settings.oidc_client_id, settings.oidc_client_secret)
    app.state.token_cache, app.state.token_questions = {}, {}
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.session_secret or secrets.token_urlsafe(32),
        session_cookie="vidcon_session",
        max_age=SESSION_HOURS * 3600,
        same_site="lax",
        https_only=settings.secure_cookies,
    )
    app.add_middleware(LimitBodySize, max_bytes=settings.max_body_bytes)
    app.include_router(router)
    _install_handlers(app)


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(NotAuthenticated)
    async def not_authenticated(request: Request, exc: NotAuthenticated) -> Response:
        if request.method == "GET" and wants_page(request):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(target, safe='/')}", status_code=303)
        return problem(request, 401, "Silakan masuk (login) terlebih dahulu.", headers={"WWW-Authenticate": "Bearer"})

    @app.exception_handler(IdentityProviderUnavailable)
    async def provider_unavailable(request: Request, exc: IdentityProviderUnavailable) -> Response:
        return problem(
            request,
            503,
            "Layanan masuk (identitas) sedang tidak dapat dihubungi; coba lagi sebentar lagi.",
            headers={"Retry-After": "5"},
        )

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        status = 429 if isinstance(exc, TooManyRequests) else 403
        return problem(request, status, exc.message, allowed=role_names(exc.allowed))
