"""Issue 10, the survey's path: a held meeting brings its contact person a one-time survey link
by email and WhatsApp; one response is taken, a second refused; the month's evaluation shows
the index the CLI computes from the same answers."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date

import asyncpg
import httpx

from fakes.smtp import read_mail_dir
from tests.e2e.test_evaluation_browser import an_approved_request
from tests.e2e.test_walking_skeleton import TENANT, get_json, post
from tests.integration.helpers import wait_until

LINK = re.compile(r"https?://\S+/t/kaltara/survei/[\w-]+")
ANSWERS = {"U1": "4", "U2": "3", "U3": "4", "U4": "4", "U5": "3", "U6": "4", "U7": "4", "U8": "2", "U9": "3"}


async def a_held_meeting(system, as_user) -> tuple[str, str, str]:
    code, month = await an_approved_request(system, as_user)
    status = await get_json(
        f"{system.url('intake')}/api/{TENANT}/tracking/{code}",
        {"Authorization": (await as_user(f"requester@{TENANT}"))["Authorization"]},
    )
    request_id = status["request_id"]
    meeting = f"{system.url('provisioning')}/api/{TENANT}/meetings/{request_id}"
    team = await as_user(f"technical_team@{TENANT}")

    async def ready():
        return (
            await post(f"{meeting}/ready", {"checklist": ["jaringan", "laptop", "uji coba"]}, team)
        ).status_code == 200

    await wait_until(ready, timeout=30)
    starts = status["starts_at"]
    held = await post(f"{meeting}/held", {"started_at": starts, "ended_at": status["ends_at"], "attendance": 20}, team)
    assert held.status_code == 200, held.text
    return code, month, request_id


async def test_a_held_meeting_brings_one_survey_whose_answer_reaches_the_evaluation(system, as_user, tmp_path):
    code, month, _ = await a_held_meeting(system, as_user)

    async def invited():
        mails = [
            m
            for m in read_mail_dir(system.extra_env["MAIL_DIR"])
            if code in m["Subject"] and "Survei kepuasan" in m["Subject"]
        ]
        sent = httpx.get(f"{system.extra_env['WHATSAPP_GATEWAY_URL']}/sent").json()["sent"]
        chats = [s for s in sent if code in s["message"] and "/survei/" in s["message"]]
        return mails and chats and (mails, chats)

    mails, chats = await wait_until(invited, timeout=30)
    link = LINK.search(mails[0].get_content()).group(0)
    assert link in chats[0]["message"]

    async with httpx.AsyncClient(timeout=15) as browser:
        page = await browser.get(link)
        assert page.status_code == 200 and "Persyaratan" in page.text and "Sangat sesuai" in page.text
        missing = await browser.post(link, data={k: v for k, v in ANSWERS.items() if k != "U5"} | {"U9": "5"})
        assert missing.status_code == 422
        assert "U5 (Produk pelayanan): pilih salah satu dari empat jawaban" in missing.text
        assert "U9 (Sarana dan prasarana): pilih salah satu dari empat jawaban" in missing.text
        answered = await browser.post(link, data=ANSWERS | {"age_band": "30_39", "saran": "Uji coba lebih awal"})
        again = await browser.post(link, data=ANSWERS)
    assert answered.status_code == 200 and "Terima kasih" in answered.text
    assert again.status_code == 409 and "survei ini sudah diisi" in again.text

    sheet = tmp_path / "skm.csv"
    sheet.write_text(",".join(ANSWERS) + "\n" + ",".join(ANSWERS.values()) + "\n")
    by_cli = json.loads(
        subprocess.run(
            [sys.executable, "-m", "shared.cli", "survey", "index", str(sheet), "--json"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    leader = await as_user(f"leader@{TENANT}")

    async def in_the_evaluation():
        found = await get_json(f"{system.url('reporting')}/api/{TENANT}/evaluations/month/{month}", leader)
        return found and found["ikm"] and found["ikm"]["respondents"] >= 1 and found

    evaluation = await wait_until(in_the_evaluation, timeout=30)
    if evaluation["ikm"]["respondents"] == 1:  # this run's only response in the month
        assert evaluation["ikm"] == by_cli  # 31 / 9 x 25 = 86.11, grade B
    assert by_cli["ikm"] == 86.11 and by_cli["grade"] == "B"
    async with httpx.AsyncClient(headers=leader) as http:
        page = (await http.get(f"{system.url('reporting')}/t/{TENANT}/evaluasi/bulan/{month}")).text
    assert f"{evaluation['ikm']['ikm']:.2f}" in page


async def respondents(system, as_user, month: str) -> int:
    found = await get_json(
        f"{system.url('reporting')}/api/{TENANT}/evaluations/month/{month}", await as_user(f"leader@{TENANT}")
    )
    return found["ikm"]["respondents"] if found and found["ikm"] else 0


async def test_a_paper_survey_imported_counts_in_that_months_index(system, as_user, database_url, tmp_path):
    today = date.today()
    month = f"{today:%Y-%m}"
    before = await respondents(system, as_user, month)
    env = {**os.environ, "DATABASE_URL": database_url}

    def vidcon(sheet) -> subprocess.CompletedProcess:
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "shared.cli",
                "survey",
                "import",
                str(sheet),
                "--tenant",
                TENANT,
                "--date",
                today.isoformat(),
            ],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )

    async def stored() -> int:
        conn = await asyncpg.connect(database_url)
        try:
            return await conn.fetchval("select count(*) from complaints.events where type like '%survey.answered%'")
        finally:
            await conn.close()

    bad, good = tmp_path / "rusak.csv", tmp_path / "kertas.csv"
    bad.write_text("U1,U2,U3,U4,U5,U6,U7,U8,U9\n4,4,4,4,4,4,4,4,4\n4,4,4,4,4,4,4,4,0\n")
    good.write_text("U1;U2;U3;U4;U5;U6;U7;U8;U9\n" + "4;4;4;4;4;4;4;4;4\n" * 2 + "3;3;3;3;3;3;3;3;3\n")
    answers_before = await stored()
    refused = vidcon(bad)
    assert refused.returncode == 2 and "baris 3, kolom U9: jawaban harus 1, 2, 3 atau 4 (tertulis: 0)" in refused.stderr
    assert await stored() == answers_before  # nothing of a refused sheet is kept

    imported = vidcon(good)
    assert imported.returncode == 0, imported.stderr
    assert "3 responden dari kertas.csv tercatat untuk kaltara" in imported.stdout

    async def counted():
        return await respondents(system, as_user, month) == before + 3

    await wait_until(counted, timeout=30)


async def test_an_officer_uploads_a_paper_survey_on_the_page(system, as_user, database_url):
    month = f"{date.today():%Y-%m}"
    before = await respondents(system, as_user, month)
    url = f"{system.url('complaints')}/t/{TENANT}/survei-kertas"
    officer = await as_user(f"complaints_officer@{TENANT}")
    bad = b"No,U1,U2,U3,U4,U5,U6,U7,U8,U9\n1,4,4,4,4,4,4,4,4\n"
    good = b"No,U1,U2,U3,U4,U5,U6,U7,U8,U9,Saran\n1,4,4,4,4,4,4,4,4,4,\n2,3,3,3,3,3,3,3,3,3,ok\n"
    async with httpx.AsyncClient(headers=officer, timeout=30) as http:
        form = await http.get(url)
        refused = await http.post(
            url, data={"filled_on": date.today().isoformat()}, files={"sheet": ("kertas.csv", bad, "text/csv")}
        )
        undated = await http.post(url, data={"filled_on": ""}, files={"sheet": ("kertas.csv", good, "text/csv")})
        recorded = await http.post(
            url, data={"filled_on": date.today().isoformat()}, files={"sheet": ("kertas.csv", good, "text/csv")}
        )
    assert form.status_code == 200 and "Impor survei kepuasan dari kertas" in form.text
    assert refused.status_code == 422
    assert "Berkas survei: baris 2, kolom U9: jawaban harus 1, 2, 3 atau 4 (tertulis: kosong)" in refused.text
    assert undated.status_code == 422 and "Tanggal pengisian: wajib diisi" in undated.text
    assert recorded.status_code == 200 and "2 responden dari kertas.csv tercatat" in recorded.text

    async def counted():
        return await respondents(system, as_user, month) == before + 2

    await wait_until(counted, timeout=30)
