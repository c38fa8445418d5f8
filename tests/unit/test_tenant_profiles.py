"""Tenant profiles: the five seeds as YAML, and errors that name file and field."""

import shutil
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from shared.calendar import TimeUnit
from shared.tenants import CountedFrom, DoneWhen, RejectAction, TenantProfileError, load_tenant, load_tenants

TENANTS_DIR = Path(__file__).parents[2] / "tenants"
TENANTS = load_tenants(TENANTS_DIR)
WIB = ZoneInfo("Asia/Jakarta")


def seed_data(tenant: str) -> dict:
    return yaml.safe_load((TENANTS_DIR / f"{tenant}.yaml").read_text(encoding="utf-8"))


def write(directory: Path, name: str, data: dict) -> Path:
    path = directory / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def problems_loading(path: Path) -> list[str]:
    with pytest.raises(TenantProfileError) as caught:
        load_tenants(path) if path.is_dir() else load_tenant(path)
    return caught.value.problems


def amounts(steps) -> list[tuple[int, TimeUnit] | None]:
    return [(s.standard.amount, s.standard.unit) if s.standard else None for s in steps]


def test_five_tenants_load_with_official_name_and_time_zone():
    assert {t.id: (t.name, t.time_zone) for t in TENANTS.values()} == {
        "gorontalo": ("Dinas Komunikasi, Informatika dan Statistik Provinsi Gorontalo", "Asia/Makassar"),
        "kaltara": (
            "Dinas Komunikasi, Informatika, Statistik dan Persandian Provinsi Kalimantan Utara",
            "Asia/Makassar",
        ),
        "majalengka": ("Dinas Komunikasi dan Informatika Kabupaten Majalengka", "Asia/Jakarta"),
        "tangerang": ("Dinas Komunikasi dan Informatika Kota Tangerang", "Asia/Jakarta"),
        "purbalingga": ("Dinas Komunikasi dan Informatika Kabupaten Purbalingga", "Asia/Jakarta"),
    }


def test_step_standards_are_the_seed_figures():
    kaltara, tangerang, majalengka = TENANTS["kaltara"], TENANTS["tangerang"], TENANTS["majalengka"]
    minutes, days = TimeUnit.MINUTES, TimeUnit.WORKING_DAYS
    assert amounts(kaltara.approval_steps) == [(60, minutes), (60, minutes)]
    assert amounts(kaltara.delivery_steps) == [(150, minutes), (180, minutes)]
    assert kaltara.delivery_steps[1].counted_from is CountedFrom.EVENT_START
    assert [s.done_when for s in kaltara.delivery_steps] == [DoneWhen.EQUIPMENT_READY, DoneWhen.MEETING_HELD]
    assert majalengka.delivery_steps[0].done_when is DoneWhen.MEETING_SCHEDULED
    assert amounts(tangerang.approval_steps) == [(3, minutes), (2, minutes), (2, minutes)]
    assert amounts(tangerang.delivery_steps) == [None]  # "tergantung situasi"
    assert (tangerang.service_standard.amount, tangerang.service_standard.unit) == (7, minutes)
    assert amounts([*majalengka.approval_steps, *majalengka.delivery_steps]) == [(1, days), (1, days)]
    gorontalo = TENANTS["gorontalo"].service_standard
    assert (gorontalo.amount, gorontalo.unit) == (24, TimeUnit.CALENDAR_HOURS)


def test_purbalingga_complaint_deadlines_by_kind_in_working_days():
    deadlines = TENANTS["purbalingga"].complaint_deadlines
    kinds = [deadlines.light, deadlines.normative, deadlines.not_supervisory, deadlines.supervisory]
    assert [(d.amount, d.unit) for d in kinds] == [(5, TimeUnit.WORKING_DAYS)] * 2 + [
        (14, TimeUnit.WORKING_DAYS),
        (60, TimeUnit.WORKING_DAYS),
    ]


def test_equipment_staff_and_evaluation_period_follow_the_seeds():
    summary = {t.id: (len(t.equipment), t.staff_count, t.evaluation_period.value) for t in TENANTS.values()}
    assert summary["gorontalo"] == (11, 3, "yearly")
    assert summary["kaltara"] == (6, 2, "per_meeting")
    assert summary["majalengka"] == (3, 2, "quarterly")
    assert summary["purbalingga"] == (7, 2, "monthly")
    assert TENANTS["gorontalo"].equipment[-1] == "Tripod Kamera"
    assert [c.value for c in TENANTS["purbalingga"].channels] == ["web_form", "srikandi"]


def test_tangerang_unsigned_approval_goes_back_to_step_one():
    steps = TENANTS["tangerang"].approval_steps
    rule = steps[-1].on_reject
    assert (rule.action, rule.step) == (RejectAction.RESTART_FROM_STEP, steps[0].id)


def test_majalengka_h_minus_2_counts_calendar_dates():
    majalengka, event = TENANTS["majalengka"], datetime(2026, 1, 15, 9, 0, tzinfo=WIB)  # Thursday
    assert majalengka.meets_lead_time(datetime(2026, 1, 13, 15, 59, tzinfo=WIB), event)
    assert not majalengka.meets_lead_time(datetime(2026, 1, 14, 7, 0, tzinfo=WIB), event)
    assert TENANTS["tangerang"].meets_lead_time(datetime(2026, 1, 15, 7, 0, tzinfo=WIB), event)


def test_profile_calendar_uses_kaltara_friday_hours():
    calendar = TENANTS["kaltara"].calendar()
    wita = ZoneInfo("Asia/Makassar")
    assert calendar.is_working_time(datetime(2026, 1, 9, 16, 20, tzinfo=wita))  # Friday
    assert not calendar.is_working_time(datetime(2026, 1, 12, 16, 20, tzinfo=wita))  # Monday


def test_zero_amount_names_file_and_field(tmp_path):
    data = seed_data("kaltara")
    data["approval_steps"][1]["standard"]["amount"] = 0
    path = write(tmp_path, "kaltara.yaml", data)
    assert problems_loading(path) == [f"{path}: approval_steps[1].standard.amount: must be > 0"]


def test_unknown_keys_are_errors_at_any_depth(tmp_path):
    data = seed_data("tangerang") | {"colour": "blue"}
    data["approval_steps"][2]["signature"] = "basah"
    path = write(tmp_path, "tangerang.yaml", data)
    assert sorted(problems_loading(path)) == [
        f"{path}: approval_steps[2].signature: unknown key",
        f"{path}: colour: unknown key",
    ]


def test_duplicate_tenant_id_across_files_names_both(tmp_path):
    write(tmp_path, "a.yaml", seed_data("purbalingga"))
    write(tmp_path, "b.yaml", seed_data("purbalingga"))
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    assert problems_loading(tmp_path) == [f"{second}: id: 'purbalingga' is already used by {first}"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.update(time_zone="Asia/Gorontalo"), "time_zone: 'Asia/Gorontalo' is not a valid IANA time zone"),
        (lambda d: d.update(id="Kal Tara"), "id: 'Kal Tara' must match"),
        (lambda d: d.pop("lead_time"), "lead_time: required key is missing"),
        (
            lambda d: d["working_hours"].update(friday={"start": "16:30", "end": "08:00"}),
            "working_hours.friday: start 16:30 must be before end 08:00",
        ),
        (
            lambda d: d["complaint_deadlines"]["light"].update(unit="days"),
            "complaint_deadlines.light.unit: 'days' is not one of 'minutes', 'hours', 'working_days' or 'calendar_hours'",
        ),
        (
            lambda d: d["approval_steps"][0].update(role="kepala_dinas"),
            "approval_steps[0].role: 'kepala_dinas' is not one",
        ),
        (lambda d: d["approval_steps"][0].update(role="leader"), "approval_steps[0].role: 'leader' performs no step"),
    ],
)
def test_bad_field_is_reported_with_its_path(tmp_path, change, expected):
    data = seed_data("kaltara")
    change(data)
    path = write(tmp_path, "kaltara.yaml", data)
    [problem] = problems_loading(path)
    assert problem.startswith(f"{path}: {expected}")


def test_unquoted_time_is_refused_instead_of_read_as_a_number(tmp_path):
    path = tmp_path / "kaltara.yaml"
    quoted, unquoted = 'friday: {start: "08:00", end: "16:30"}', "friday: {start: '08:00', end: 16:30}"
    path.write_text((TENANTS_DIR / "kaltara.yaml").read_text().replace(quoted, unquoted))
    [problem] = problems_loading(path)
    assert problem.startswith(f"{path}: working_hours.friday.end: write the time in quotes as 'HH:MM'")


def test_restart_must_name_an_earlier_approval_step(tmp_path):
    data = seed_data("tangerang")
    data["approval_steps"][2]["on_reject"]["step"] = "create_meeting_link"
    path = write(tmp_path, "tangerang.yaml", data)
    [problem] = problems_loading(path)
    assert problem.startswith(f"{path}: approval_steps[2].on_reject.step: 'create_meeting_link' is not")


def test_repeated_yaml_key_is_an_error(tmp_path):
    path = tmp_path / "purbalingga.yaml"
    path.write_text((TENANTS_DIR / "purbalingga.yaml").read_text() + "staff_count: 3\n")
    [problem] = problems_loading(path)
    assert problem.startswith(f"{path}: not valid YAML: line ") and "duplicate key 'staff_count'" in problem


def test_every_bad_file_is_listed_in_one_error(tmp_path):
    for tenant in ["gorontalo", "majalengka"]:
        write(tmp_path, f"{tenant}.yaml", seed_data(tenant) | {"staff_count": -1})
    assert problems_loading(tmp_path) == [
        f"{tmp_path / f'{t}.yaml'}: staff_count: must be > 0" for t in ["gorontalo", "majalengka"]
    ]


def test_a_sixth_department_needs_only_a_yaml_file(tmp_path):
    shutil.copytree(TENANTS_DIR, tmp_path, dirs_exist_ok=True)
    sixth = seed_data("kaltara") | {
        "id": "papua",
        "name": "Dinas Komunikasi dan Informatika Provinsi Papua",
        "time_zone": "Asia/Jayapura",
    }
    write(tmp_path, "papua.yaml", sixth)
    papua = load_tenants(tmp_path)["papua"]
    opening = papua.calendar().next_opening(datetime(2026, 1, 10, 12, 0, tzinfo=ZoneInfo("UTC")))
    assert opening.isoformat() == "2026-01-12T08:00:00+09:00"  # Monday 08:00 WIT


def test_empty_directory_is_an_error(tmp_path):
    assert problems_loading(tmp_path) == [f"{tmp_path}: no tenant profiles (*.yaml) found"]
