"""Each tenant's intake rules from its profile: lead time, service hours, required fields and documents."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from intake.domain.commands import SubmitRequest
from intake.domain.rules import REQUIRED_FIELDS, check_details, check_schedule, processing_starts
from shared.config import Settings
from shared.domain import DomainRuleBroken
from shared.tenants import load_tenants

TENANTS = load_tenants(Settings().vidcon_tenants_dir)
WIB, WITA = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar")
ZONE = {"gorontalo": WITA, "kaltara": WITA, "majalengka": WIB, "purbalingga": WIB, "tangerang": WIB}
ZONE_WORD = {"gorontalo": "WITA", "kaltara": "WITA", "majalengka": "WIB", "purbalingga": "WIB", "tangerang": "WIB"}
HOURS = "Senin–Kamis 08.00–16.00, Jumat 08.00–16.30"
LETTER = "00000000-0000-4000-8000-000000000001"


def at(tenant: str, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=ZONE[tenant])


def refusal(call, *args) -> tuple[str, str]:
    with pytest.raises(DomainRuleBroken) as refused:
        call(*args)
    return refused.value.field, refused.value.message


def complete(**changes) -> SubmitRequest:
    data = {
        "agency": "Badan Perencanaan Pembangunan Daerah",
        "event_name": "Rapat Koordinasi RKPD",
        "contact": {"name": "Siti Rahma", "whatsapp": "081234567890", "email": "siti@example.go.id"},
        "starts_at": "2027-01-05T09:00:00+07:00",
        "ends_at": "2027-01-05T11:00:00+07:00",
        "online_only": False,
        "venue": "Ruang Rapat Bappeda",
        "leading_official": {"name": "Drs. Ahmad Yani", "position": "Sekretaris Daerah"},
        "speakers": [{"name": "Dr. Rina Wati", "institution": "Bappenas"}],
        "expected_participants": 40,
        "special_needs": ["recording"],
        "documents": {"request_letter": LETTER, "request_form": LETTER},
    }
    return SubmitRequest.model_validate(data | changes)


# Lead time (H-n), across a weekend and the Christmas holidays of 2026:
# Thu 24 Dec cuti bersama, Fri 25 Dec Natal, Sat 26 and Sun 27 weekend, Mon 28 Dec working.


def test_majalengka_h2_counts_calendar_days_across_weekend_and_holiday():
    profile = TENANTS["majalengka"]
    starts, ends = at("majalengka", 2026, 12, 28, 9, 0), at("majalengka", 2026, 12, 28, 11, 0)

    check_schedule(profile, starts, ends, at("majalengka", 2026, 12, 26, 21, 0))  # Saturday night: H-2

    assert refusal(check_schedule, profile, starts, ends, at("majalengka", 2026, 12, 27, 7, 0)) == (
        "starts_at",
        "permohonan harus diajukan paling lambat H-2 sebelum acara, yaitu tanggal 26-12-2026",
    )


@pytest.mark.parametrize("tenant", ["gorontalo", "kaltara", "purbalingga", "tangerang"])
def test_without_lead_time_a_request_on_sunday_for_monday_is_accepted(tenant):
    profile = TENANTS[tenant]

    check_schedule(
        profile, at(tenant, 2026, 12, 28, 9, 0), at(tenant, 2026, 12, 28, 10, 0), at(tenant, 2026, 12, 27, 22, 0)
    )


@pytest.mark.parametrize("tenant", sorted(ZONE))
def test_a_request_sent_before_the_holidays_starts_its_clock_after_them(tenant):
    """Sent Wednesday 23 Dec after closing: accepted; the SOP clock starts Monday 28 Dec 08:00."""
    assert processing_starts(TENANTS[tenant], at(tenant, 2026, 12, 23, 17, 0)) == at(tenant, 2026, 12, 28, 8, 0)


@pytest.mark.parametrize("tenant", sorted(ZONE))
def test_a_request_for_yesterday_is_refused(tenant):
    assert refusal(
        check_schedule,
        TENANTS[tenant],
        at(tenant, 2026, 12, 22, 9, 0),
        at(tenant, 2026, 12, 22, 10, 0),
        at(tenant, 2026, 12, 23, 9, 0),
    ) == ("starts_at", "waktu mulai harus di masa depan")


# Service hours: "Waktu pelaksanaan ... dilakukan pada jam kerja" (Kaltara); the others' hours are
# their profiles' decisions, and the same rule reads them.


@pytest.mark.parametrize("tenant", sorted(ZONE))
def test_a_meeting_on_a_collective_leave_day_is_refused_naming_it(tenant):
    field, message = refusal(
        check_schedule,
        TENANTS[tenant],
        at(tenant, 2026, 12, 24, 9, 0),
        at(tenant, 2026, 12, 24, 10, 0),
        at(tenant, 2026, 12, 1, 9, 0),
    )

    assert (field, message) == (
        "starts_at",
        f"acara hanya dapat difasilitasi pada hari dan jam layanan ({HOURS}"
        f" {ZONE_WORD[tenant]}); Kamis, 24 Desember 2026 adalah hari libur"
        " (Cuti Bersama Hari Raya Natal)",
    )


@pytest.mark.parametrize("tenant", sorted(ZONE))
def test_a_meeting_on_saturday_is_refused(tenant):
    assert refusal(
        check_schedule,
        TENANTS[tenant],
        at(tenant, 2026, 12, 12, 9, 0),
        at(tenant, 2026, 12, 12, 10, 0),
        at(tenant, 2026, 12, 1, 9, 0),
    ) == (
        "starts_at",
        f"acara hanya dapat difasilitasi pada hari dan jam layanan ({HOURS} {ZONE_WORD[tenant]});"
        " Sabtu, 12 Desember 2026 bukan hari kerja",
    )


@pytest.mark.parametrize("tenant", sorted(ZONE))
def test_a_friday_meeting_past_1630_is_refused_on_its_end(tenant):
    assert refusal(
        check_schedule,
        TENANTS[tenant],
        at(tenant, 2026, 12, 11, 15, 0),
        at(tenant, 2026, 12, 11, 17, 0),
        at(tenant, 2026, 12, 1, 9, 0),
    ) == (
        "ends_at",
        f"acara hanya dapat difasilitasi pada jam layanan ({HOURS} {ZONE_WORD[tenant]});"
        f" Jumat, 11 Desember 2026 15.00 {ZONE_WORD[tenant]} sampai 17.00 di luar jam itu",
    )


@pytest.mark.parametrize("tenant", sorted(ZONE))
def test_a_friday_meeting_until_1630_is_within_service_hours(tenant):
    check_schedule(
        TENANTS[tenant],
        at(tenant, 2026, 12, 11, 14, 30),
        at(tenant, 2026, 12, 11, 16, 30),
        at(tenant, 2026, 12, 1, 9, 0),
    )


# Required documents and fields (persyaratan).


@pytest.mark.parametrize(
    "tenant, document, name",
    [
        ("gorontalo", "request_letter", "Permohonan Fasilitasi Layanan Video Conference (Virtual Meeting)"),
        ("kaltara", "request_letter", "Surat permohonan penyelenggaraan video conference kepada Kepala Dinas"),
        ("majalengka", "request_letter", "Surat permohonan resmi dari kepala perangkat daerah"),
        (
            "purbalingga",
            "request_letter",
            "Surat Permintaan Fasilitas Layanan Video Conference/Streaming"
            " ditandatangani kepala OPD dan/atau Kepala UPT, dibubuhi cap/stempel OPD",
        ),
        ("tangerang", "request_form", "Form Permintaan Layanan Video Conference (FPVC)"),
    ],
)
def test_each_tenant_requires_its_document(tenant, document, name):
    check_details(TENANTS[tenant], complete())

    assert refusal(check_details, TENANTS[tenant], complete(documents={})) == (
        f"documents.{document}",
        f"dokumen wajib dilampirkan (berkas PDF): {name}",
    )


@pytest.mark.parametrize(
    "tenant, changes, field, label",
    [
        ("gorontalo", {"online_only": True, "venue": None}, "venue", "lokasi kegiatan"),
        ("gorontalo", {"leading_official": None}, "leading_official", "pejabat yang memimpin"),
        ("kaltara", {"online_only": True, "venue": None}, "venue", "lokasi kegiatan"),
        (
            "majalengka",
            {"expected_participants": None},
            "participants",
            "daftar peserta (berkas) atau perkiraan jumlah peserta",
        ),
        ("majalengka", {"speakers": []}, "speakers", "narasumber"),
        (
            "majalengka",
            {"special_needs": None},
            "special_needs",
            "kebutuhan khusus (kirim daftar kosong bila tidak ada)",
        ),
    ],
)
def test_required_fields_name_the_field_and_the_tenant(tenant, changes, field, label):
    assert refusal(check_details, TENANTS[tenant], complete(**changes)) == (
        field,
        f"{label} wajib diisi menurut persyaratan {TENANTS[tenant].name}",
    )


def test_a_participant_list_file_stands_for_the_expected_count():
    check_details(
        TENANTS["majalengka"],
        complete(expected_participants=None, documents={"request_letter": LETTER, "participant_list": LETTER}),
    )


@pytest.mark.parametrize("tenant", ["purbalingga", "tangerang"])
def test_an_online_request_without_venue_or_speakers_is_enough_where_not_required(tenant):
    check_details(
        TENANTS[tenant],
        complete(
            online_only=True,
            venue=None,
            speakers=[],
            leading_official=None,
            special_needs=None,
            expected_participants=None,
        ),
    )


def test_every_required_field_in_the_profiles_is_one_intake_checks():
    used = {field for profile in TENANTS.values() for field in profile.required_fields}
    assert used <= set(REQUIRED_FIELDS)
