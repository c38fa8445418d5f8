"""A workbook that unpacks to far more than it weighs is refused from its zip directory, before any parse."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import tracemalloc

import pytest

from intake.domain.documents import KINDS
from shared.config import REPO_ROOT
from shared.domain import DomainRuleBroken
from shared.files import check_upload, detect_format
from shared.satisfaction import ELEMENTS, SurveySheetError, read_survey_sheet
from tests.spreadsheets import a_workbook_bomb, a_workbook_of

PARTICIPANTS = KINDS["participant_list"]
MB = 1024 * 1024


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return a_workbook_bomb(unpacked_mb=100)


def test_a_participant_list_unpacking_to_100_mb_is_refused_quickly_in_little_memory(bomb):
    assert len(bomb) < 2 * MB  # within the upload's own limit: only its unpacked size gives it away
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(DomainRuleBroken) as refused:
            check_upload(PARTICIPANTS, bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert time.monotonic() - started < 2 and peak < 100 * MB
    assert (refused.value.field, refused.value.status) == ("file", 413)
    assert refused.value.message == "berkas daftar peserta melebihi batas 20 MB setelah dibuka (isinya 100 MB)"


def test_detecting_the_format_does_not_unpack_it_either(bomb):
    started = time.monotonic()
    assert detect_format(bomb) is None
    assert time.monotonic() - started < 2


def test_a_member_packed_beyond_100_to_1_is_refused_even_under_the_size_limit():
    with pytest.raises(DomainRuleBroken) as refused:
        check_upload(PARTICIPANTS, a_workbook_bomb(unpacked_mb=10))
    assert refused.value.status == 413
    assert "dipadatkan lebih dari 100 kali lipat (batas 100:1)" in refused.value.message


def test_a_real_participant_list_is_accepted():
    rows = [["Nama", "Jabatan", "Instansi"], *[[f"Peserta {n}", "Staf", "Bappeda"] for n in range(1, 4000)]]
    assert check_upload(PARTICIPANTS, a_workbook_of(rows)) == "xlsx"


@pytest.mark.parametrize("as_csv", [False, True])
def test_a_participant_list_of_more_than_5000_rows_is_refused_naming_the_limit(as_csv):
    rows = [["Nama", "Instansi"], *[[f"Peserta {n}", "Bappeda"] for n in range(1, 5001)]]
    content = "\n".join(";".join(row) for row in rows).encode() if as_csv else a_workbook_of(rows)

    with pytest.raises(DomainRuleBroken) as refused:
        check_upload(PARTICIPANTS, content)

    assert (refused.value.field, refused.value.status) == ("file", 422)
    assert refused.value.message == "berkas daftar peserta berisi lebih dari 5000 baris (batas 5000 baris)"


def test_a_survey_sheet_that_unpacks_too_far_is_refused_before_it_is_read(tmp_path, bomb):
    path = tmp_path / "skm.xlsx"
    path.write_bytes(bomb)
    started = time.monotonic()
    with pytest.raises(SurveySheetError, match="berkas XLSX melebihi batas 20 MB setelah dibuka"):
        read_survey_sheet(path)
    assert time.monotonic() - started < 2


def test_a_survey_of_more_than_5000_respondents_is_refused(tmp_path):
    path = tmp_path / "skm.xlsx"
    path.write_bytes(a_workbook_of([list(ELEMENTS), *[[4] * 9 for _ in range(5001)]]))
    with pytest.raises(SurveySheetError, match="lebih dari 5000 baris responden"):
        read_survey_sheet(path)
    path.write_bytes(a_workbook_of([list(ELEMENTS), *[[4] * 9 for _ in range(5000)]]))
    assert len(read_survey_sheet(path)) == 5000


def test_vidcon_survey_import_refuses_the_workbook_before_touching_the_database(tmp_path, bomb):
    path = tmp_path / "skm.xlsx"
    path.write_bytes(bomb)
    refused = subprocess.run(
        [
            sys.executable,
            "-m",
            "shared.cli",
            "survey",
            "import",
            str(path),
            "--tenant",
            "kaltara",
            "--date",
            "2026-11-27",
        ],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=60,
        env={**os.environ, "DATABASE_URL": "postgresql://nobody@127.0.0.1:9/none"},
    )
    assert refused.returncode == 2 and "melebihi batas 20 MB setelah dibuka" in refused.stderr
