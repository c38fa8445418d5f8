"""The evaluation's page, API, PDF, XLSX and CSV carry the same figures, read back from the files.

February 2026 of Kaltara goes through the live projections in PostgreSQL; the reporting app
answers over HTTP as a leader and the head of division would call it.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, timezone

import httpx
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from reporting.adapters.projections import projections
from reporting.bootstrap import SPEC
from reporting.service_layer.handlers import register_all
from shared.config import REPO_ROOT, Settings
from shared.projections import apply_live
from shared.runtime import service_app
from shared.tenants import load_tenants
from tests.auth import access_token
from tests.evaluation_month import february

NOW = datetime(2026, 3, 2, 3, tzinfo=timezone.utc)
BASE = "http://reporting"


@pytest.fixture
async def reporting(pool, database_url, nats_url, identity_issuer):
    tenants = load_tenants(REPO_ROOT / "tenants")
    every = projections(tenants)
    await register_all(pool, every)
    async with pool.acquire() as conn:
        for sequence, envelope in enumerate(february(tenants["kaltara"]), start=1):
            async with conn.transaction():
                for projection in every.values():
                    await apply_live(conn, projection, envelope, ("/vidcon/test", sequence))
    app = service_app(SPEC, Settings(database_url=database_url, nats_url=nats_url, oidc_issuer=identity_issuer))
    app.state.runtime.pool = pool
    app.state.runtime.extras["clock"] = lambda: NOW
    leader = await access_token(identity_issuer, "leader@kaltara")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url=BASE, headers={"Authorization": f"Bearer {leader}"}
    ) as http:
        yield http


async def test_the_pdf_xlsx_and_csv_carry_the_figures_of_the_page_and_the_api(reporting):
    api = (await reporting.get("/api/kaltara/evaluations/month/2026-02")).json()
    page = (await reporting.get("/t/kaltara/evaluasi/bulan/2026-02")).text
    pdf = await reporting.get("/t/kaltara/evaluasi/bulan/2026-02/unduh.pdf")
    xlsx = await reporting.get("/t/kaltara/evaluasi/bulan/2026-02/unduh.xlsx")
    sheet_csv = await reporting.get("/t/kaltara/evaluasi/bulan/2026-02/unduh.csv")
    assert pdf.headers["content-type"] == "application/pdf"

    steps = api["compliance"]["steps"]
    assert [(s["step"], s["count"], s["met"], s["late"]) for s in steps] == [
        ("dispose_to_head_of_division", 7, 6, 1),
        ("dispose_to_technical_team", 5, 5, 0),
        ("coordinate_check_and_trial", 4, 4, 0),
        ("run_and_report", 4, 4, 0),
    ]
    assert api["totals"]["outcome"] == {"held": 4, "failed": 1, "rejected": 1, "returned": 1, "withdrawn": 1}
    assert api["summary"]["steps_met_share"] == 95.0
    assert (api["ikm"]["ikm"], api["ikm"]["grade"], api["ikm"]["respondents"]) == (87.5, "B", 2)

    text = " ".join(page_.extract_text() for page_ in PdfReader(io.BytesIO(pdf.content)).pages)
    flat = " ".join(text.split())
    assert "DINAS KOMUNIKASI, INFORMATIKA, STATISTIK DAN PERSANDIAN PROVINSI KALIMANTAN UTARA" in flat
    assert "Februari 2026" in flat and "Kepala Bidang Aplikasi dan Informatika" in flat and "NIP." in flat
    assert "87.5" in flat and "Mutu B" in flat and "Rapat R2" in flat

    book = load_workbook(io.BytesIO(xlsx.content))
    compliance = [row for row in book["Kepatuhan standar waktu"].iter_rows(min_row=2, values_only=True)]
    assert [(r[2], r[3], r[4]) for r in compliance] == [(s["count"], s["met"], s["late"]) for s in steps] + [
        (
            api["compliance"]["overall"]["count"],
            api["compliance"]["overall"]["met"],
            api["compliance"]["overall"]["late"],
        )
    ]
    assert compliance[0][5] == steps[0]["median_minutes"] and compliance[0][6] == steps[0]["p90_minutes"] == 150
    register = list(book["Register pelaksanaan"].iter_rows(min_row=2, values_only=True))
    assert len(register) == len(api["register"]) == 8
    assert isinstance(register[0][0], datetime) and register[0][0] == datetime(2026, 2, 5, 10, 0)
    held = [r[12] for r in register if r[15] == "Terlaksana"]
    assert sorted(held) == [20, 30, 40, 50]
    summary = {r[0]: r[1] for r in book["Ringkasan"].iter_rows(min_row=2, values_only=True)}
    assert summary["Permohonan"] == api["summary"]["requests"] == 8
    assert summary["Langkah tepat waktu (%)"] == 95.0

    rows = list(csv.reader(io.StringIO(sheet_csv.content.decode("utf-8-sig")), delimiter=";"))
    assert ["Permohonan", "8", "0", "8"] in rows

    ikm = {r[0]: r[1] for r in book["Indeks Kepuasan Masyarakat"].iter_rows(min_row=2, values_only=True)}
    assert (ikm["IKM"], ikm["Mutu B"], ikm["Responden"], ikm["U1 Persyaratan"]) == (87.5, "Baik", 2, 3.5)
    assert summary["Indeks Kepuasan Masyarakat (IKM)"] == 87.5

    for figure in ("95.0%", "100.0%", "87.5", "Rapat R6"):
        assert figure in page
        assert figure.rstrip("%") in flat


async def test_every_number_links_to_the_requests_behind_it(reporting):
    failed = await reporting.get("/t/kaltara/evaluasi/bulan/2026-02/permohonan", params={"hasil": "failed"})
    late = await reporting.get(
        "/t/kaltara/evaluasi/bulan/2026-02/permohonan",
        params={"langkah": "dispose_to_head_of_division", "tepat": "tidak"},
    )
    page = (await reporting.get("/t/kaltara/evaluasi/bulan/2026-02")).text
    assert "/t/kaltara/evaluasi/bulan/2026-02/permohonan?hasil=failed" in page
    assert "Rapat R6" in failed.text and "Rapat R1" not in failed.text
    assert "Rapat R2" in late.text and "Rapat R1" not in late.text
    assert "1 permohonan." in late.text


async def test_a_finding_recorded_by_the_head_of_division_is_an_event(reporting, pool, identity_issuer):
    refused = await reporting.post(
        "/api/kaltara/evaluations/month/2026-02/findings",
        json={"finding": "Satu langkah terlambat", "follow_up": "Tambah petugas piket"},
    )
    head = await access_token(identity_issuer, "head_of_division@kaltara")
    recorded = await reporting.post(
        "/api/kaltara/evaluations/month/2026-02/findings",
        headers={"Authorization": f"Bearer {head}"},
        json={"finding": "Satu langkah terlambat", "follow_up": "Tambah petugas piket"},
    )
    bad = await reporting.post(
        "/api/kaltara/evaluations/month/2026-02/findings",
        headers={"Authorization": f"Bearer {head}"},
        json={"finding": "x"},
    )
    assert refused.status_code == 403
    assert recorded.status_code == 201
    assert bad.status_code == 422
    events = await pool.fetch("select type, envelope->'data'->>'finding' as finding from events")
    assert [(e["type"], e["finding"]) for e in events] == [
        ("id.go.vidcon.evaluation.finding_recorded.v1", "Satu langkah terlambat")
    ]
