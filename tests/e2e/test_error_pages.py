"""What a person meets at the one address when a page is not for them, or not there: an
Indonesian page on the site's layout with a way back; programs keep JSON."""

from __future__ import annotations

import re

import httpx
import pytest

from shared.auth import ROLE_NAMES, Role
from shared.config import REPO_ROOT, SERVICES
from tests.auth import browser_login
from tests.e2e.test_access_matrix import POLICY, PUBLIC, concrete
from tests.english import assert_no_english

PAGE = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
PAGE_ROUTES = sorted(
    (method, path, allowed)
    for (service, method, path), allowed in POLICY.items()
    if not path.startswith("/api/") and allowed != PUBLIC and method in ("GET", "POST")
)


def someone_not_allowed(allowed: set[Role]) -> str:
    return next(f"{role.value}@kaltara" for role in Role if role not in allowed)


@pytest.fixture(scope="module")
async def people(system):
    """A signed-in browser session at the one address per demo user, made when first asked."""
    sessions: dict[str, tuple[httpx.AsyncClient, str]] = {}

    async def person(sub: str) -> tuple[httpx.AsyncClient, str]:
        if sub not in sessions:
            http = httpx.AsyncClient(base_url=system.address, timeout=20)
            sessions[sub] = (http, await browser_login(http, system.address, sub))
        return sessions[sub]

    yield person
    for http, _ in sessions.values():
        await http.aclose()


async def test_every_page_route_shows_the_indonesian_403_page_to_a_person_who_may_not_see_it(people):
    wrong = []
    for method, path, allowed in PAGE_ROUTES:
        who = someone_not_allowed(allowed)
        http, csrf = await people(who)
        answer = await http.request(
            method, concrete(path), headers=PAGE, data={"csrf_token": csrf} if method == "POST" else None
        )
        page = answer.text
        named = [ROLE_NAMES[role] for role in allowed]
        if not (
            answer.status_code == 403
            and answer.headers["content-type"].startswith("text/html")
            and "Akses ditolak" in page
            and all(name in page for name in named)
            and 'href="/"' in page
            and not any(role.value in page for role in allowed)
        ):
            wrong.append(f"{method} {path} as {who}: {answer.status_code} {page[:120]!r}")
            continue
        assert_no_english(page, f"{method} {path}")
    assert wrong == []


async def test_an_api_client_still_gets_json_naming_the_roles_in_indonesian(people):
    http, _ = await people("requester@kaltara")
    answer = await http.get("/api/kaltara/inbox", headers=PAGE)
    assert answer.status_code == 403 and answer.headers["content-type"] == "application/json"
    assert "Verifikator" in answer.json()["message"] and "verifier" not in answer.json()["message"]


async def test_an_address_nobody_serves_is_an_indonesian_404_page_or_json(system):
    async with httpx.AsyncClient(base_url=system.address) as http:
        page = await http.get("/t/kaltara/tidak-ada-halaman-ini", headers=PAGE)
        answer = await http.get("/api/kaltara/tidak-ada", headers={"Accept": "application/json"})
    assert page.status_code == 404 and "Halaman tidak ditemukan" in page.text and 'href="/"' in page.text
    assert_no_english(page.text)
    assert answer.status_code == 404 and answer.json()["message"].startswith("Alamat ini tidak ada")


def links_on(html: str) -> set[str]:
    return {re.sub(r"^https?://[^/]+", "", href) for href in re.findall(r'href="([^"]+)"', html)}


async def test_the_start_page_shows_each_person_only_the_links_of_their_roles(system, people):
    async with httpx.AsyncClient(base_url=system.address) as visitor:
        anonymous = links_on((await visitor.get("/", headers=PAGE)).text)
    verifier = links_on((await (await people("verifier@kaltara"))[0].get("/", headers=PAGE)).text)
    leader = links_on((await (await people("leader@kaltara"))[0].get("/", headers=PAGE)).text)
    assert {"/t/kaltara/ajukan", "/t/kaltara/pengaduan", "/login?next=/"} <= anonymous
    assert not anonymous & {"/t/kaltara/kotak-masuk", "/t/kaltara/laporan", "/t/kaltara/pengaduan/masuk"}
    assert {"/t/kaltara/kotak-masuk", "/t/kaltara/ajukan"} <= verifier
    assert not verifier & {"/t/kaltara/laporan", "/t/kaltara/hari-ini", "/t/tangerang/kotak-masuk"}
    assert {"/t/kaltara/laporan", "/t/kaltara/evaluasi"} <= leader and "/t/kaltara/kotak-masuk" not in leader


async def test_the_sign_in_page_of_the_local_identity_provider_speaks_indonesian(system):
    async with httpx.AsyncClient(base_url=system.address) as http:
        to_provider = await http.get("/login")
        sign_in = await http.get(to_provider.headers["location"])
    assert sign_in.status_code == 200 and "Masuk ke Vidcon" in sign_in.text
    assert 'name="viewport"' in sign_in.text and ">Verifikator <" in sign_in.text
    assert_no_english(sign_in.text)


async def test_one_index_at_the_one_address_lists_every_services_api_and_event_documents(system):
    async with httpx.AsyncClient(base_url=system.address, headers=PAGE) as http:
        moved = await http.get("/docs")
        index = await http.get("/dokumentasi")
        assert moved.status_code == 308 and moved.headers["location"] == "/dokumentasi"
        assert index.status_code == 200
        assert_no_english(index.text)
        for service in SERVICES:
            base = f"/layanan/{service}"
            assert {f"{base}/docs", f"{base}/openapi.json", f"{base}/asyncapi.yaml", f"{base}/peristiwa"} <= links_on(
                index.text
            )
            docs = await http.get(f"{base}/docs")
            assert docs.status_code == 200 and '"openapi": "3.0.3"' in docs.text and "cdn" not in docs.text.lower()
            for asset in re.findall(r'(?:src|href)="(static/[^"]+)"', docs.text):
                assert (await http.get(f"{base}/{asset}")).status_code == 200, asset
            assert (await http.get(f"{base}/openapi.json")).json()["openapi"].startswith("3.1")
            asyncapi = await http.get(f"{base}/asyncapi.yaml")
            assert asyncapi.text == (REPO_ROOT / "contracts" / "asyncapi" / f"{service}.yaml").read_text()
            events = await http.get(f"{base}/peristiwa")
            assert events.status_code == 200 and "<code>vidcon." in events.text
