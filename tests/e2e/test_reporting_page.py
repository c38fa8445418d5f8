"""The leader's year page: the months as bars, and how often the service kept its standard."""

from __future__ import annotations

from datetime import datetime, timezone

import httpx

from tests.auth import browser_login


async def test_a_leader_sees_the_year_month_by_month(system):
    year = datetime.now(timezone.utc).year
    async with httpx.AsyncClient() as http:
        await browser_login(http, system.url("reporting"), "leader@kaltara")
        page = await http.get(f"{system.url('reporting')}/t/kaltara/laporan", params={"tahun": year})
        refused = await http.get(f"{system.url('reporting')}/t/tangerang/laporan")
    assert page.status_code == 200
    assert f"Laporan layanan {year}" in page.text and "Kepatuhan standar waktu" in page.text
    assert page.text.count('class="month"') == 12 and "Rapat terlaksana" in page.text
    assert (
        'title="Des Permohonan masuk:' in page.text and 'title="Jan Pengaduan:' in page.text
    )  # each bar names its month
    assert 'href="/t/kaltara/evaluasi"' in page.text
    assert refused.status_code == 403


async def test_an_anonymous_browser_is_sent_to_log_in(system):
    async with httpx.AsyncClient() as http:
        answer = await http.get(f"{system.url('reporting')}/t/kaltara/laporan", headers={"Accept": "text/html"})
    assert answer.status_code == 303 and answer.headers["location"] == "/login?next=/t/kaltara/laporan"
