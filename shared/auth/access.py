"""Every page and API call names the roles it allows; the tenant comes from the path.

A person logged in through the browser carries a session cookie (and must echo the
session's CSRF token on any change); a program sends `Authorization: Bearer <access token>`,
checked against the provider's userinfo endpoint and cached briefly.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, Callable, Coroutine, Iterable

import httpx
from fastapi import Depends, FastAPI, Request

from shared.auth.identity import User, role_names
from shared.tenants.vocabulary import Role

TOKEN_CACHE_SECONDS = 60
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


class NotAuthenticated(Exception):
    """No session and no valid bearer token."""


class IdentityProviderUnavailable(Exception):
    """The identity provider could not be asked whether a bearer token is valid."""


class Forbidden(Exception):
    """Logged in, but not allowed: `allowed` names the roles that would be (shown on the page)."""

    def __init__(self, message: str, allowed: frozenset[Role] = frozenset()):
        self.message, self.allowed = message, allowed
        super().__init__(message)


async def current_user(request: Request) -> User:
    if "user" in request.session:
        user = User.from_session(request.session["user"])
        await _check_csrf(request)
        return user
    token = request.headers.get("authorization", "")
    if token.lower().startswith("bearer "):
        return await _user_for_token(request, token[7:].strip())
    raise NotAuthenticated()


async def optional_user(request: Request) -> User | None:
    """The user when logged in, else None (public pages that show more to those who may see it)."""
    try:
        return await current_user(request)
    except NotAuthenticated:
        return None


async def _user_for_token(request: Request, token: str) -> User:
    cache: dict[str, Any] = request.app.state.token_cache
    cached = cache.get(token)
    if cached and cached[1] > time.monotonic():
        known: User = cached[0]
        return known
    return await _one_question_per_token(request.app, token)


async def _one_question_per_token(app: FastAPI, token: str) -> User:
    """Requests arriving together with a token not (or no longer) cached wait for one answer of
    the provider: each question makes a new HTTP client (and TLS context) in Authlib, and a burst
    of them showed high in intake's profile."""
    asking: dict[str, asyncio.Future[User]] = app.state.token_questions
    if token not in asking:
        asking[token] = asyncio.ensure_future(_ask_provider(app, token))
        asking[token].add_done_callback(lambda _done: asking.pop(token, None))
    return await asyncio.shield(asking[token])


async def _ask_provider(app: FastAPI, token: str) -> User:
    try:
        claims = await app.state.oidc.userinfo(token={"access_token": token, "token_type": "Bearer"})
    except httpx.HTTPStatusError as refused:
        if refused.response.status_code >= 500:
            raise IdentityProviderUnavailable() from refused
        raise NotAuthenticated() from refused
    except (httpx.TransportError, OSError) as unreachable:
        # Not the caller's fault: a 401 would tell a client to drop a token that is good.
        raise IdentityProviderUnavailable() from unreachable
    except Exception as error:  # noqa: BLE001  any other answer of the provider means "not authenticated"
        raise NotAuthenticated() from error
    user = User.from_claims(dict(claims))
    app.state.token_cache[token] = (user, time.monotonic() + TOKEN_CACHE_SECONDS)
    return user


async def _check_csrf(request: Request) -> None:
    """Cookies ride along on cross-site posts; the session's token does not."""
    if request.method not in UNSAFE:
        return
    sent: object = request.headers.get("x-csrf-token")
    if sent is None and "form" in request.headers.get("content-type", ""):
        sent = (await request.form()).get("csrf_token")
    if not sent or sent != request.session.get("csrf"):
        raise Forbidden("Token keamanan formulir (CSRF) tidak cocok. Muat ulang halaman dan coba lagi.")


def require(*roles: Role | Iterable[Role]) -> Callable[..., Coroutine[Any, Any, User]]:
    """A dependency: the user must hold one of `roles` in the tenant named by the path."""
    allowed = frozenset(r for item in roles for r in ([item] if isinstance(item, Role) else item))

    async def check(request: Request, user: User = Depends(current_user)) -> User:
        tenant = request.path_params.get("tenant")
        if tenant is not None:
            request.app.state.runtime.tenant(tenant)  # an unknown tenant is a 404, not a 403
        if tenant is None or not user.may(tenant, allowed):
            raise Forbidden(
                "Anda tidak berwenang membuka halaman ini atau melakukan tindakan ini di dinas ini"
                f" (peran yang boleh: {role_names(allowed)}).",
                allowed,
            )
        return user

    return check
