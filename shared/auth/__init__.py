"""Identity and access: OIDC login, roles per tenant, CSRF, rate limits, body size limit."""
from __future__ import annotations

import secrets

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.middleware.sessions import SessionMiddleware

from shared.auth.access import Forbidden, IdentityProviderUnavailable, NotAuthenticated, current_user, optional_user, require
from shared.auth.identity import STAFF, Role, User
from shared.auth.oidc import oauth_client, router
from shared.auth.web_safety import LimitBodySize, TooManyRequests, rate_limited

__all__ = ["STAFF", "Forbidden", "Role", "User", "current_user", "install_auth", "optional_user", "rate_limited",
           "require"]

SESSION_HOURS = 8


def install_auth(app: FastAPI, settings) -> None:
    app.state.oidc = oauth_client(settings.oidc_issuer, settings.oidc_client_id, settings.oidc_client_secret)
    app.state.token_cache = {}
    app.add_middleware(SessionMiddleware, secret_key=settings.session_secret or secrets.token_urlsafe(32),
                       session_cookie="vidcon_session", max_age=SESSION_HOURS * 3600, same_site="lax",
                       https_only=settings.secure_cookies)
    app.add_middleware(LimitBodySize, max_bytes=settings.max_body_bytes)
    app.include_router(router)
    _install_handlers(app)


def _wants_html(request: Request) -> bool:
    return request.method == "GET" and "text/html" in request.headers.get("accept", "")


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(NotAuthenticated)
    async def not_authenticated(request: Request, exc: NotAuthenticated):
        if _wants_html(request):
            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        return JSONResponse({"message": "Silakan masuk (login) terlebih dahulu.", "errors": []},
                            status_code=401, headers={"WWW-Authenticate": "Bearer"})

    @app.exception_handler(IdentityProviderUnavailable)
    async def provider_unavailable(request: Request, exc: IdentityProviderUnavailable):
        return JSONResponse({"message": "Layanan masuk (identitas) sedang tidak dapat dihubungi; coba lagi sebentar lagi.",
                             "errors": []}, status_code=503, headers={"Retry-After": "5"})

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden):
        status = 429 if isinstance(exc, TooManyRequests) else 403
        return JSONResponse({"message": exc.message, "errors": []}, status_code=status)
