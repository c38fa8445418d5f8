"""Logging in through OIDC (code flow with PKCE) and what a session or token then allows."""

from __future__ import annotations

import httpx

from tests.auth import access_token, browser_login


async def test_a_browser_logs_in_through_the_provider_and_gets_its_roles(system):
    async with httpx.AsyncClient() as http:
        csrf = await browser_login(http, system.url("reporting"), "leader@kaltara")
        session = (await http.get(f"{system.url('reporting')}/auth/session")).json()
    assert session["user"] == {"id": "leader@kaltara", "agency": None, "roles": {"kaltara": ["leader"]}}
    assert csrf and session["csrf"] == csrf
    assert "name" not in str(session) and "@example" not in str(session)


async def test_the_session_cookie_is_http_only_and_same_site(system):
    async with httpx.AsyncClient() as http:
        to_provider = await http.get(f"{system.url('reporting')}/login", follow_redirects=False)
        signed_in = await http.post(
            to_provider.headers["location"], data={"sub": "leader@kaltara"}, follow_redirects=False
        )
        back = await http.get(signed_in.headers["location"], follow_redirects=False)
    cookie = back.headers["set-cookie"]
    assert cookie.startswith("vidcon_session=") and "httponly" in cookie.lower()
    assert "samesite=lax" in cookie.lower()


async def test_login_never_redirects_to_another_site(system):
    async with httpx.AsyncClient() as http:
        to_provider = await http.get(f"{system.url('reporting')}/login?next=//evil.example", follow_redirects=False)
        signed_in = await http.post(
            to_provider.headers["location"], data={"sub": "leader@kaltara"}, follow_redirects=False
        )
        back = await http.get(signed_in.headers["location"], follow_redirects=False)
    assert back.headers["location"] == "/"


async def test_a_program_with_a_bearer_token_is_recognised(system):
    token = await access_token(system.oidc_issuer, "leader@kaltara")
    async with httpx.AsyncClient() as http:
        allowed = await http.get(
            f"{system.url('reporting')}/api/kaltara/reports/monthly",
            params={"month": "2026-11"},
            headers={"Authorization": f"Bearer {token}"},
        )
        forged = await http.get(
            f"{system.url('reporting')}/api/kaltara/reports/monthly",
            params={"month": "2026-11"},
            headers={"Authorization": "Bearer forged"},
        )
    assert allowed.status_code == 200
    assert forged.status_code == 401 and forged.json()["message"] == "Silakan masuk (login) terlebih dahulu."
