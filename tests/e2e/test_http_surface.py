"""What a person or an integrating program meets at a service's HTTP door."""

from __future__ import annotations

import asyncpg
import httpx

from tests.e2e.test_walking_skeleton import TENANT, a_request, letter_for
from tests.e2e.identity import requester
from tests.integration.helpers import stream_contents, wait_until


async def stored_events(database_url: str) -> int:
    conn = await asyncpg.connect(database_url)
    try:
        return await conn.fetchval("select count(*) from intake.events")
    finally:
        await conn.close()


async def test_bad_input_names_field_and_rule_in_indonesian_and_stores_nothing(system, database_url):
    before = await stored_events(database_url)
    bad = a_request() | {"starts_at": "besok pagi", "agency": "X"}
    bad["contact"] = bad["contact"] | {"email": "siti-at-example"}
    async with httpx.AsyncClient(headers=requester()) as http:
        response = await http.post(f"{system.url('intake')}/api/{TENANT}/requests", json=bad)
    assert response.status_code == 422
    errors = {e["field"]: e["rule"] for e in response.json()["errors"]}
    assert errors == {
        "agency": "minimal 3 karakter",
        "contact.email": "bukan alamat email yang sah",
        "starts_at": "bukan tanggal dan waktu yang sah (contoh: 2026-12-01T09:00:00+07:00)",
    }
    assert response.json()["message"].startswith("Kolom 'agency': minimal 3 karakter")
    assert await stored_events(database_url) == before


async def test_an_unknown_department_is_a_404_in_indonesian(system):
    async with httpx.AsyncClient(headers=requester()) as http:
        response = await http.post(f"{system.url('intake')}/api/atlantis/requests", json=a_request())
    assert response.status_code == 404
    assert response.json()["message"] == "Kolom 'tenant': dinas 'atlantis' tidak terdaftar"


async def test_the_api_page_and_its_assets_are_served_locally(system):
    async with httpx.AsyncClient(headers=requester()) as http:
        page = await http.get(f"{system.url('approval')}/docs")
        script = await http.get(f"{system.url('approval')}/static/swagger/swagger-ui-bundle.js")
    assert page.status_code == 200 and '"static/swagger/swagger-ui-bundle.js"' in page.text
    assert "cdn" not in page.text.lower()
    assert script.status_code == 200 and len(script.content) > 100_000


async def test_the_correlation_id_comes_back_and_reaches_the_event(system, nc):
    async with httpx.AsyncClient(headers=requester()) as http:
        response = await http.post(
            f"{system.url('intake')}/api/{TENANT}/requests",
            json=a_request(letter=await letter_for(system)),
            headers={"X-Correlation-Id": "surat-2026-0042"},
        )
    assert response.headers["X-Correlation-Id"] == "surat-2026-0042"

    async def published():
        events = await stream_contents(nc.jetstream(), f"vidcon.{TENANT}.intake.request_submitted", expect=1)
        return [e for e in events if e.data["request_id"] == response.json()["request_id"]]

    [event] = await wait_until(published)
    assert event.correlationid == "surat-2026-0042"
