"""Logging in for real, through the local OIDC provider: as a browser does, or as a program."""

from __future__ import annotations

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx


async def browser_login(http: httpx.AsyncClient, service_url: str, sub: str) -> str:
    """Log `http` in at `service_url` as `sub`; returns the session's CSRF token."""
    to_provider = await http.get(f"{service_url}/login", follow_redirects=False)
    assert to_provider.status_code in (302, 303, 307), to_provider.text
    signed_in = await http.post(to_provider.headers["location"], data={"sub": sub}, follow_redirects=False)
    back = await http.get(signed_in.headers["location"], follow_redirects=False)
    assert back.status_code == 303, back.text
    session = await http.get(f"{service_url}/auth/session")
    return session.json()["csrf"]


async def access_token(issuer: str, sub: str, client_id: str = "srikandi-bridge") -> str:
    """An access token for a program acting as `sub` (authorization code with PKCE)."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    redirect_uri = "http://127.0.0.1/callback"
    query = urlencode(
        {
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "response_type": "code",
            "scope": "openid profile",
            "state": "s",
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
    )
    async with httpx.AsyncClient() as http:
        issued = await http.post(f"{issuer}/oauth2/authorize?{query}", data={"sub": sub})
        code = parse_qs(urlsplit(issued.headers["location"]).query)["code"][0]
        token = await http.post(
            f"{issuer}/oauth2/token",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "client_id": client_id,
                "client_secret": "x",
                "code_verifier": verifier,
            },
        )
        token.raise_for_status()
        return token.json()["access_token"]


async def token_for(issuer: str, sub: str, roles: dict[str, list[str]], agency: str | None = None) -> str:
    """Register `sub` at the provider with roles per tenant, then log in as a program."""
    claims = {"groups": [f"/vidcon/{tenant}/{role}" for tenant, names in roles.items() for role in names]}
    if agency:
        claims["agency"] = agency
    async with httpx.AsyncClient() as http:
        (await http.put(f"{issuer}/users/{sub}", json=claims)).raise_for_status()
    return await access_token(issuer, sub)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
