"""Every HTTP route of every service, called by each role of two tenants and by nobody.

The policy below is written out by hand, route by route, so that a route that lets the wrong
people in (or a new route nobody thought about) makes this test fail.
"""

from __future__ import annotations

import importlib
import re
import uuid

import httpx
import pytest
from fastapi.routing import APIRoute

from shared.auth import Role
from shared.config import SERVICES, Settings
from shared.runtime import service_app
from tests.auth import access_token

R = Role
SUBMITTERS = {R.REQUESTER, R.VERIFIER, R.TENANT_ADMIN}
OFFICIALS = {R.VERIFIER, R.HEAD_OF_DEPARTMENT, R.HEAD_OF_DIVISION, R.APPROVER, R.TECHNICAL_TEAM, R.TENANT_ADMIN}
TECHNICAL = {R.TECHNICAL_TEAM, R.OPERATOR, R.TENANT_ADMIN}
MANAGERS = {R.TECHNICAL_TEAM, R.TENANT_ADMIN}
READERS = {R.LEADER, R.TENANT_ADMIN, R.HEAD_OF_DEPARTMENT, R.HEAD_OF_DIVISION, R.TECHNICAL_TEAM}
EVALUATORS = {R.HEAD_OF_DIVISION, R.TENANT_ADMIN}
CONTACT_READERS = set(R) - {R.REQUESTER, R.LEADER}
COMPLAINT_HANDLERS = {R.COMPLAINTS_OFFICER, R.COMPLAINTS_TEAM}
CALENDAR_SUBSCRIBERS = {
    R.REQUESTER,
    R.OPERATOR,
    R.TECHNICAL_TEAM,
    R.HEAD_OF_DIVISION,
    R.HEAD_OF_DEPARTMENT,
    R.LEADER,
    R.TENANT_ADMIN,
}
PUBLIC = "public"

POLICY: dict[tuple[str, str, str], set[Role] | str] = {
    ("intake", "POST", "/api/{tenant}/documents"): SUBMITTERS,
    ("intake", "POST", "/api/{tenant}/requests"): SUBMITTERS,
    ("intake", "GET", "/api/{tenant}/tracking/{tracking_code}"): SUBMITTERS,
    ("intake", "POST", "/api/{tenant}/requests/{request_id}/amend"): SUBMITTERS,
    ("intake", "POST", "/api/{tenant}/requests/{request_id}/reschedule"): SUBMITTERS,
    ("intake", "POST", "/api/{tenant}/requests/{request_id}/withdraw"): SUBMITTERS,
    ("intake", "GET", "/api/{tenant}/requests/{request_id}/contact"): CONTACT_READERS,
    ("intake", "POST", "/api/{tenant}/personal-data/erasures"): {R.TENANT_ADMIN},
    ("intake", "GET", "/api/{tenant}/people/names"): READERS,
    ("intake", "GET", "/"): PUBLIC,
    **{("complaints", method, "/t/{tenant}/survei/{token}"): PUBLIC for method in ("GET", "POST")},
    **{
        ("complaints", method, "/t/{tenant}/survei-kertas"): {R.COMPLAINTS_OFFICER, R.TENANT_ADMIN}
        for method in ("GET", "POST")
    },
    ("intake", "GET", "/lacak"): PUBLIC,
    ("intake", "GET", "/t/{tenant}/lacak/{code}"): PUBLIC,
    ("intake", "GET", "/t/{tenant}/lacak/{code}/peristiwa"): PUBLIC,
    **{("intake", method, "/t/{tenant}/ajukan"): SUBMITTERS for method in ("GET", "POST")},
    **{("intake", method, "/t/{tenant}/permohonan/{request_id}/ubah"): SUBMITTERS for method in ("GET", "POST")},
    ("intake", "POST", "/t/{tenant}/permohonan/{request_id}/batal"): SUBMITTERS,
    **{
        ("intake", method, "/t/{tenant}/permohonan/{request_id}/jadwal-ulang"): SUBMITTERS for method in ("GET", "POST")
    },
    ("intake", "GET", "/t/{tenant}/berkas/{document_ref}"): SUBMITTERS | OFFICIALS,
    ("intake", "GET", "/t/{tenant}/permohonan"): SUBMITTERS,
    **{
        ("approval", "POST", f"/api/{{tenant}}/requests/{{request_id}}/{action}"): OFFICIALS
        for action in ("pass", "verify", "dispose", "approve", "return", "reject", "reassign")
    },
    ("approval", "GET", "/api/{tenant}/inbox"): OFFICIALS,
    ("approval", "GET", "/api/{tenant}/requests/{request_id}"): OFFICIALS,
    ("approval", "GET", "/api/{tenant}/profile-versions/{version}"): OFFICIALS,
    ("approval", "POST", "/api/{tenant}/acting"): OFFICIALS,
    ("approval", "GET", "/"): PUBLIC,  # only redirects: to login, or to the official's inbox
    ("approval", "GET", "/t/{tenant}/kotak-masuk"): OFFICIALS,
    ("approval", "GET", "/t/{tenant}/permohonan/{request_id}"): OFFICIALS,
    ("approval", "POST", "/t/{tenant}/permohonan/{request_id}/{action}"): OFFICIALS,
    **{
        ("provisioning", method, f"/api/{{tenant}}/meetings/{{request_id}}{tail}"): TECHNICAL
        for method, tail in (
            ("GET", ""),
            ("POST", "/schedule"),
            ("POST", "/checks/{check}"),
            ("POST", "/ready"),
            ("POST", "/started"),
            ("POST", "/ended"),
            ("POST", "/held"),
            ("POST", "/failed"),
        )
    },
    ("provisioning", "PUT", "/api/{tenant}/meetings/{request_id}/crew"): TECHNICAL | {R.HEAD_OF_DIVISION},
    ("provisioning", "GET", "/api/{tenant}/resources/{kind}"): TECHNICAL,
    ("provisioning", "GET", "/api/{tenant}/schedule"): TECHNICAL,
    ("provisioning", "GET", "/api/{tenant}/suggestions/account"): TECHNICAL,
    **{
        ("provisioning", "PUT", f"/api/{{tenant}}/resources/{kind}"): MANAGERS
        for kind in ("accounts/{account_id}", "operators/{user_id}", "kits/{kit_id}", "venues/{venue_id}", "settings")
    },
    ("provisioning", "POST", "/api/{tenant}/resources/operators/{user_id}/leave"): MANAGERS,
    ("provisioning", "POST", "/webhooks/zoom"): PUBLIC,
    **{
        ("provisioning", "GET", f"/t/{{tenant}}/{page}"): TECHNICAL | {R.HEAD_OF_DIVISION}
        for page in ("jadwal", "hari-ini")
    },
    **{
        ("provisioning", "POST", f"/t/{{tenant}}/rapat/{{request_id}}/{action}"): TECHNICAL
        for action in ("periksa/{check}", "mulai", "selesai", "laporan", "tidak-terlaksana")
    },
    ("provisioning", "GET", "/t/{tenant}/rapat/{request_id}/laporan"): TECHNICAL
    | {R.HEAD_OF_DIVISION, R.HEAD_OF_DEPARTMENT, R.LEADER},
    ("provisioning", "POST", "/t/{tenant}/rapat/{request_id}/laporan/perbaikan"): TECHNICAL,
    **{
        ("provisioning", method, "/t/{tenant}/rapat/{request_id}/petugas"): TECHNICAL | {R.HEAD_OF_DIVISION}
        for method in ("GET", "POST")
    },
    ("provisioning", "GET", "/t/{tenant}/sumber-daya"): MANAGERS,
    ("provisioning", "POST", "/t/{tenant}/sumber-daya/{kind}"): MANAGERS,
    **{
        ("provisioning", method, path): CALENDAR_SUBSCRIBERS
        for method, path in (("GET", "/t/{tenant}/kalender"), ("POST", "/t/{tenant}/kalender/{which}/baru"))
    },
    ("provisioning", "GET", "/t/{tenant}/kalender/{token}.ics"): PUBLIC,
    **{
        ("reporting", "GET", f"/api/{{tenant}}/reports/{period}"): READERS
        for period in ("monthly", "quarterly", "yearly")
    },
    ("reporting", "GET", "/t/{tenant}/laporan"): READERS,
    ("reporting", "GET", "/api/{tenant}/evaluations/{kind}/{period}"): READERS,
    ("reporting", "POST", "/api/{tenant}/evaluations/{kind}/{period}/findings"): EVALUATORS,
    **{
        ("reporting", "GET", f"/t/{{tenant}}/evaluasi{page}"): READERS
        for page in (
            "",
            "/{slug}/{key}",
            "/{slug}/{key}/permohonan",
            "/permohonan/{request_id}",
            "/{slug}/{key}/unduh.{fmt}",
        )
    },
    ("reporting", "POST", "/t/{tenant}/evaluasi/{slug}/{key}/temuan"): EVALUATORS,
    ("reporting", "POST", "/t/{tenant}/evaluasi/{slug}/{key}/terbitkan"): EVALUATORS,
    **{("complaints", method, "/t/{tenant}/pengaduan"): PUBLIC for method in ("GET", "POST")},
    ("complaints", "GET", "/t/{tenant}/pengaduan/lacak"): PUBLIC,
    ("complaints", "GET", "/t/{tenant}/pengaduan/lacak/{code}"): PUBLIC,
    ("complaints", "POST", "/t/{tenant}/pengaduan/lacak/{code}/buka-kembali"): PUBLIC,
    ("complaints", "GET", "/t/{tenant}/pengaduan/masuk"): COMPLAINT_HANDLERS,
    **{("complaints", method, "/t/{tenant}/pengaduan/catat"): {R.COMPLAINTS_OFFICER} for method in ("GET", "POST")},
    ("complaints", "GET", "/t/{tenant}/pengaduan/kasus/{complaint_id}"): COMPLAINT_HANDLERS,
    ("complaints", "GET", "/t/{tenant}/pengaduan/kasus/{complaint_id}/lampiran"): COMPLAINT_HANDLERS,
    ("complaints", "POST", "/t/{tenant}/pengaduan/kasus/{complaint_id}/{action}"): COMPLAINT_HANDLERS,
    ("complaints", "POST", "/api/{tenant}/complaints"): PUBLIC,
    ("complaints", "GET", "/api/{tenant}/complaints"): COMPLAINT_HANDLERS,
    ("complaints", "GET", "/api/{tenant}/complaints/{complaint_id}"): COMPLAINT_HANDLERS,
    ("complaints", "POST", "/api/{tenant}/complaints/{complaint_id}/answer"): COMPLAINT_HANDLERS,
    **{
        ("complaints", "POST", f"/api/{{tenant}}/complaints/{{complaint_id}}/{action}"): {R.COMPLAINTS_OFFICER}
        for action in ("classify", "assign", "resolve", "reopen")
    },
    ("complaints", "GET", "/api/{tenant}/complaint-tracking/{code}"): PUBLIC,
    ("complaints", "POST", "/api/{tenant}/complaint-tracking/{code}/reopen"): PUBLIC,
    ("complaints", "POST", "/api/{tenant}/complainants/erasures"): {R.TENANT_ADMIN},
}
SHARED_ROUTES = {
    "/healthz",
    "/readyz",
    "/metrics",
    "/docs",
    "/openapi.json",
    "/asyncapi.yaml",
    "/peristiwa",
    "/dokumentasi",
    "/login",
    "/auth/callback",
    "/logout",
    "/auth/session",
}
TENANTS = ("kaltara", "tangerang")


def routes_of(service: str) -> list[tuple[str, str]]:
    spec = importlib.import_module(f"{service}.bootstrap").SPEC
    app = service_app(spec, Settings())
    return sorted(
        (method, path)
        for path, route in _api_routes(app.routes)
        if path not in SHARED_ROUTES
        for method in route.methods - {"HEAD"}
    )


def _api_routes(routes):
    """(path, route) for every API route, also those inside included routers (FastAPI >= 0.16x)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route.path, route
        elif hasattr(route, "effective_route_contexts"):
            yield from (
                (c.path, c.original_route)
                for c in route.effective_route_contexts()
                if isinstance(c.original_route, APIRoute)
            )


def test_every_route_of_every_service_has_a_declared_policy():
    found = {(service, method, path) for service in SERVICES for method, path in routes_of(service)}
    assert sorted(found - POLICY.keys()) == [], "routes nobody decided who may call"
    assert sorted(POLICY.keys() - found) == [], "policy for routes that no longer exist"


def concrete(path: str) -> str:
    values = {"tenant": "kaltara", "kind": "accounts", "check": "network", "period": "monthly"}
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), str(uuid.uuid4())), path)


@pytest.fixture(scope="module")
async def identities(system):
    people = {"nobody": {}}
    for tenant in TENANTS:
        for role in Role:
            token = await access_token(system.oidc_issuer, f"{role.value}@{tenant}")
            people[f"{role.value}@{tenant}"] = {"Authorization": f"Bearer {token}"}
    return people


async def test_only_the_declared_roles_of_the_same_tenant_get_past_the_door(system, identities):
    wrong = []
    async with httpx.AsyncClient(timeout=10, headers={"Accept": "application/json"}) as http:
        for (service, method, path), allowed in sorted(POLICY.items(), key=str):
            if allowed == PUBLIC:
                continue
            url = system.url(service) + concrete(path)
            for who, headers in identities.items():
                status = (await http.request(method, url, headers=headers, json={})).status_code
                role, _, tenant = who.partition("@")
                expected = 401 if who == "nobody" else ("in" if tenant == "kaltara" and Role(role) in allowed else 403)
                passed = status not in (401, 403) if expected == "in" else status == expected
                if not passed:
                    wrong.append(f"{method} {service}{path} as {who}: {status}, expected {expected}")
    assert wrong == []
