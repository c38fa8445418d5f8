"""Login with OpenID Connect: authorization code flow with PKCE (S256), via Authlib.

The provider is configured by issuer URL (Keycloak in production, a local
`oidc-provider-mock` process in tests and the embedded run). The session keeps only the
user's id, agency and roles: no name, email or token.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any, Protocol

from authlib.integrations.starlette_client import OAuth
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from shared.auth.identity import User

router = APIRouter(include_in_schema=False)
PROVIDER_TIMEOUT_SECONDS = 10
"""httpx's 5 s is too short for a provider on a loaded node; a client's own timeout is longer."""


class OidcClient(Protocol):
    """What of Authlib's client the login and the bearer check use (`app.state.oidc`)."""

    async def authorize_redirect(self, request: Request, redirect_uri: str, **kwargs: Any) -> Response: ...

    async def authorize_access_token(self, request: Request, **kwargs: Any) -> dict[str, Any]: ...

    async def userinfo(self, **kwargs: Any) -> Mapping[str, Any]: ...


def oauth_client(issuer: str, client_id: str, client_secret: str) -> OidcClient:
    oauth = OAuth()
    client: OidcClient = oauth.register(
        name="vidcon",
        client_id=client_id,
        client_secret=client_secret,
        server_metadata_url=f"{issuer.rstrip('/')}/.well-known/openid-configuration",
        client_kwargs={
            "scope": "openid profile email",
            "code_challenge_method": "S256",
            "timeout": PROVIDER_TIMEOUT_SECONDS,
        },
    )
    return client


def _safe_next(target: str | None) -> str:
    """Only paths on this service: never an open redirect to another site."""
    return target if target and target.startswith("/") and not target.startswith("//") else "/"


@router.get("/login")
async def login(request: Request, next: str | None = None) -> Response:
    request.session["after_login"] = _safe_next(next)
    client: OidcClient = request.app.state.oidc
    return await client.authorize_redirect(
        request, str(request.url_for("auth_callback")), nonce=secrets.token_urlsafe(16)
    )


@router.get("/auth/callback", name="auth_callback")
async def callback(request: Request) -> RedirectResponse:
    client: OidcClient = request.app.state.oidc
    token = await client.authorize_access_token(request)
    claims = token.get("userinfo") or await client.userinfo(token=token)
    target = request.session.pop("after_login", "/")
    request.session.clear()
    request.session["user"] = User.from_claims(dict(claims)).to_session()
    request.session["csrf"] = secrets.token_urlsafe(24)
    return RedirectResponse(target, status_code=303)


@router.post("/logout")
async def logout(request: Request) -> RedirectResponse:
    request.session.clear()
    return RedirectResponse("/", status_code=303)


@router.get("/auth/session", response_model=None)
async def session(request: Request) -> JSONResponse | dict[str, Any]:
    """Who is logged in and the CSRF token a page's script must echo on changes."""
    if "user" not in request.session:
        return JSONResponse({"message": "Belum masuk (login).", "errors": []}, status_code=401)
    return {"user": request.session["user"], "csrf": request.session["csrf"]}
