"""IKM by PermenPANRB 14/2017, checked by hand at each grade boundary and on a mixed sample."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal

import pytest
from openpyxl import Workbook

from shared.config import REPO_ROOT
from shared.satisfaction import ELEMENTS, SurveySheetError, minimum_sample, read_survey_sheet, satisfaction_index

HEADER = list(ELEMENTS)


def sheet(n: int, total: int) -> list[dict[str, int]]:
    """`n` respondents whose 9n answers add up to `total`, as evenly as answers 1-4 allow."""
    base, extra = divmod(total, 9 * n)
    cells = [base + 1] * extra + [base] * (9 * n - extra)
    return [dict(zip(HEADER, cells[9 * i : 9 * i + 9])) for i in range(n)]


# (respondents, sum of all answers) -> 25 * sum / (9 * respondents), two decimals, half up
@pytest.mark.parametrize(
    "n, total, ikm, grade",
    [
        (24, 763, "88.31", "A"),  # 88.3101...
        (19, 604, "88.30", "B"),  # 88.3040...
        (19, 524, "76.61", "B"),  # 76.6081... rounds up into B
        (26, 717, "76.60", "C"),  # 76.6025...
        (5, 117, "65.00", "C"),  # exactly 65
        (38, 889, "64.99", "D"),  # 64.9853...
    ],
)
def test_each_grade_starts_where_the_regulation_says(n, total, ikm, grade):
    index = satisfaction_index(sheet(n, total))
    assert (index.ikm, index.grade.letter, index.respondents) == (Decimal(ikm), grade, n)


def test_a_mixed_sample_by_hand():
    rows = [[4] * 9, [3] * 9, [4, 3, 2, 4, 3, 4, 4, 2, 3], [2, 3, 4, 4, 3, 3, 4, 3, 2]]
    index = satisfaction_index([dict(zip(HEADER, row)) for row in rows])
    assert {k: str(v) for k, v in index.elements.items()} == {
        "U1": "3.25",
        "U2": "3.25",
        "U3": "3.25",
        "U4": "3.75",
        "U5": "3.25",
        "U6": "3.50",
        "U7": "3.75",
        "U8": "3.00",
        "U9": "3.00",
    }
    # 30.00 / 9 * 25 = 83.33 with the exact weight 1/9 (the regulation's rounded 0,111 would give 83.25)
    assert (index.ikm, index.grade.letter, index.grade.words) == (Decimal("83.33"), "B", "Baik")


def test_no_respondent_gives_no_index():
    assert satisfaction_index([]) is None


@pytest.mark.parametrize(
    "population, sample",
    [(10, 10), (15, 14), (50, 44), (100, 80), (500, 217), (1000, 278), (10_000, 370), (1_000_000, 384)],
)
def test_the_minimum_sample_follows_krejcie_and_morgan(population, sample):
    assert minimum_sample(population) == sample


def write_csv(tmp_path, rows, name="skm.csv", sep=","):
    path = tmp_path / name
    path.write_text("\n".join(sep.join(str(c) for c in row) for row in rows) + "\n", encoding="utf-8")
    return path


def test_a_spreadsheet_reads_as_the_sheet_it_holds(tmp_path):
    book = Workbook()
    book.active.append(["No", *HEADER, "Saran"])
    for number, row in enumerate(sheet(24, 763), start=1):
        book.active.append([number, *row.values(), "lanjutkan"])
    book.active.append([None] * 11)  # a blank line at the end is not a respondent
    book.save(tmp_path / "skm.xlsx")
    semicolons = write_csv(tmp_path, [HEADER, *[list(r.values()) for r in sheet(24, 763)]], "skm2.csv", ";")
    assert read_survey_sheet(tmp_path / "skm.xlsx") == sheet(24, 763) == read_survey_sheet(semicolons)


@pytest.mark.parametrize(
    "rows, message",
    [
        ([HEADER[:8], [4] * 8], "baris 1: judul kolom U9 tidak ada (wajib U1 sampai U9)"),
        (
            [HEADER, [4] * 9, [4, 4, 4, 4, 5, 4, 4, 4, 4]],
            "baris 3, kolom U5: jawaban harus 1, 2, 3 atau 4 (tertulis: 5)",
        ),
        ([HEADER, [4, 4, "", 4, 4, 4, 4, 4, 4]], "baris 2, kolom U3: jawaban harus 1, 2, 3 atau 4 (tertulis: kosong)"),
        (
            [HEADER, [4, 4, 4, 4, 4, 4, 4, 4, "baik"]],
            "baris 2, kolom U9: jawaban harus 1, 2, 3 atau 4 (tertulis: baik)",
        ),
    ],
)
def test_a_malformed_sheet_is_refused_at_its_row_and_column(tmp_path, rows, message):
    with pytest.raises(SurveySheetError) as refused:
        read_survey_sheet(write_csv(tmp_path, rows))
    assert str(refused.value) == message


def test_a_file_that_is_no_spreadsheet_is_refused(tmp_path):
    disguised = tmp_path / "skm.xlsx"
    disguised.write_bytes(b"%PDF-1.7 not a workbook")
    with pytest.raises(SurveySheetError, match="berkas XLSX tidak dapat dibaca"):
        read_survey_sheet(disguised)
    with pytest.raises(SurveySheetError, match="jenis berkas .pdf tidak didukung"):
        read_survey_sheet(tmp_path / "skm.pdf")


def vidcon(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "shared.cli", *args], capture_output=True, text=True, cwd=REPO_ROOT, timeout=60
    )


def test_vidcon_survey_index_prints_the_index_as_the_domain_computes_it(tmp_path):
    path = write_csv(tmp_path, [HEADER, *[list(r.values()) for r in sheet(19, 604)]])
    printed = json.loads(vidcon("survey", "index", str(path), "--json").stdout)
    # 91 answers of 4 fill respondents 1-10 and the first answer of the 11th: U1 = 68/19, the rest 67/19
    assert printed == {
        "elements": {"U1": 3.58} | {e: 3.53 for e in HEADER[1:]},
        "ikm": 88.3,
        "grade": "B",
        "respondents": 19,
    }
    table = vidcon("survey", "index", str(path))
    assert table.returncode == 0 and "88.30" in table.stdout and "Mutu B (Baik)" in table.stdout


def test_vidcon_survey_index_refuses_a_malformed_file_naming_row_and_column(tmp_path):
    path = write_csv(tmp_path, [HEADER, [4, 4, 4, 4, 5, 4, 4, 4, 4]])
    refused = vidcon("survey", "index", str(path), "--json")
    assert refused.returncode == 2 and refused.stdout == ""
    assert "baris 2, kolom U5: jawaban harus 1, 2, 3 atau 4 (tertulis: 5)" in refused.stderr
