"""Refusals as a person meets them (an Indonesian page with a way back) and as a program does (JSON)."""

from __future__ import annotations

import pytest
from fastapi import Depends, FastAPI, Form
from fastapi.testclient import TestClient
from pydantic import AwareDatetime, BaseModel

from shared.auth import Role, User, current_user, install_auth, require
from shared.config import Settings
from shared.http import install_error_handlers
from tests.english import assert_no_english

PAGE = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
VERIFIER = User("verifier@kaltara", {"kaltara": frozenset({Role.VERIFIER})})


class Meeting(BaseModel):
    starts_at: AwareDatetime


class Tenants:
    tenants = {"kaltara": object()}

    def tenant(self, tenant: str):
        return self.tenants[tenant]


@pytest.fixture(scope="module")
def client() -> TestClient:
    app = FastAPI()
    app.state.runtime = Tenants()
    install_error_handlers(app)
    install_auth(app, Settings(max_body_bytes=1024 * 1024))

    @app.get("/t/{tenant}/laporan")
    async def report(tenant: str, user: User = Depends(require(Role.LEADER, Role.HEAD_OF_DEPARTMENT))):
        return {}

    @app.get("/api/{tenant}/laporan")
    async def report_api(tenant: str, user: User = Depends(require(Role.LEADER))):
        return {}

    @app.get("/rusak")
    async def broken():
        raise RuntimeError("boom")

    @app.post("/api/{tenant}/rapat")
    async def meeting(tenant: str, body: Meeting):
        return {}

    @app.post("/t/{tenant}/formulir")
    async def form(tenant: str, starts_at: str = Form()):
        return {}

    app.dependency_overrides[current_user] = lambda: VERIFIER
    return TestClient(app, raise_server_exceptions=False)


def test_a_person_without_the_role_gets_an_indonesian_403_page_with_the_roles_named(client):
    page = client.get("/t/kaltara/laporan", headers=PAGE)
    assert page.status_code == 403 and page.headers["content-type"].startswith("text/html")
    assert "Akses ditolak" in page.text and "Kepala Dinas, Pimpinan" in page.text
    assert 'href="/"' in page.text and "/login?next=/t/kaltara/laporan" in page.text
    assert "leader" not in page.text and "head_of_department" not in page.text
    assert_no_english(page.text)


def test_a_program_gets_json_with_the_roles_named_in_indonesian(client):
    answer = client.get("/api/kaltara/laporan", headers=PAGE)
    assert answer.status_code == 403 and answer.json()["message"].endswith("(peran yang boleh: Pimpinan).")


def test_an_unknown_address_is_an_indonesian_404_page_and_json_for_programs(client):
    page = client.get("/t/kaltara/tidak-ada", headers=PAGE)
    assert page.status_code == 404 and "Halaman tidak ditemukan" in page.text
    assert_no_english(page.text)
    answer = client.get("/api/kaltara/tidak-ada")
    assert answer.status_code == 404 and answer.json()["message"].startswith("Alamat ini tidak ada")


def test_a_failure_is_an_indonesian_500_page_with_a_reference(client):
    page = client.get("/rusak", headers=PAGE | {"X-Correlation-Id": "kode-42"})
    assert page.status_code == 500 and "Terjadi kesalahan pada sistem" in page.text
    assert_no_english(page.text)
    assert client.get("/rusak").json()["message"].startswith("Maaf, terjadi kesalahan pada sistem")


def test_a_time_without_zone_is_refused_in_indonesian(client):
    answer = client.post("/api/kaltara/rapat", json={"starts_at": "2026-12-01T09:00:00"})
    assert answer.status_code == 422
    assert answer.json()["errors"] == [
        {"field": "starts_at", "rule": "harus menyertakan zona waktu (contoh: 2026-12-01T09:00:00+07:00)"}
    ]


def test_a_body_that_cannot_be_parsed_is_refused_in_indonesian(client):
    answer = client.post("/api/kaltara/rapat", content=b"starts_at=x", headers={"Content-Type": "application/json"})
    assert answer.status_code == 422 and answer.json()["errors"][0]["rule"] == "JSON tidak sah"
    answer = client.post("/t/kaltara/formulir", content=b"--x", headers={"Content-Type": "multipart/form-data"})
    assert answer.status_code == 400 and answer.json()["message"].startswith("Isi kiriman tidak dapat dibaca")


def test_a_body_over_the_limit_is_a_413_naming_the_limit_even_without_a_declared_length(client):
    def chunks():
        yield b'{"starts_at": "'
        yield b"x" * (1024 * 1024)
        yield b'"}'

    answer = client.post("/api/kaltara/rapat", content=chunks(), headers={"Content-Type": "application/json"})
    assert answer.status_code == 413
    assert answer.json()["message"] == "Ukuran kiriman melebihi batas 1 MB; kirim berkas yang lebih kecil."


def test_signing_in_is_asked_for_by_a_redirect_on_a_page():
    app = FastAPI()
    app.state.runtime = Tenants()
    install_error_handlers(app)
    install_auth(app, Settings())

    @app.get("/t/{tenant}/laporan")
    async def report(tenant: str, user: User = Depends(require(Role.LEADER))):
        return {}

    client = TestClient(app)
    page = client.get("/t/kaltara/laporan?tahun=2026", headers=PAGE, follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login?next=/t/kaltara/laporan%3Ftahun%3D2026"
    assert client.get("/t/kaltara/laporan").status_code == 401


def test_the_word_list_finds_english_a_person_reads_and_ignores_code():
    from tests.english import english_on

    assert english_on('<p>Not Found</p><input type="file"><button title="Submit">Kirim</button>') == [
        "Not Found Choose File Submit Kirim",
        "Not Found Choose File Submit Kirim",
        "Not Found Choose File Submit Kirim",
    ]
    assert (
        english_on(
            '<script>var e = "Error";</script><input name="documents.letter" class="file-hidden" type="file">'
            "<p>Permohonan</p>"
        )
        == []
    )


def test_a_form_refused_by_validation_is_a_page_with_the_rules_in_indonesian(client):
    page = client.post("/t/kaltara/formulir", data={}, headers=PAGE)
    assert page.status_code == 422 and "Isian belum benar" in page.text and "<li>wajib diisi</li>" in page.text
    assert_no_english(page.text)
