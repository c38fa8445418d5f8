"""Persyaratan: a tenant's rules for accepting a request, read from its profile, never from code.

Each broken rule names the field and the rule in Indonesian; the API reports the first one found,
the form every one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Callable, Iterator

from intake.domain.wording import holiday_name, tanggal_jam, weekly_hours
from shared.calendar.names import tanggal
from shared.domain import DomainRuleBroken
from shared.tenants import TenantProfile

PARTICIPANT_LIST = "participant_list"

# required_fields id in tenants/*.yaml -> (field in the request, what the requester calls it, present?)
REQUIRED_FIELDS: dict[str, tuple[str, str, Callable[..., Any]]] = {
    "requesting_agency": ("agency", "instansi pemohon", lambda r: bool(r.agency)),
    "contact_person": ("contact", "kontak person", lambda r: r.contact is not None),
    "event_name": ("event_name", "nama kegiatan", lambda r: bool(r.event_name)),
    "event_start": ("starts_at", "waktu mulai", lambda r: getattr(r, "starts_at", True) is not None),
    "event_end": ("ends_at", "waktu selesai", lambda r: getattr(r, "ends_at", True) is not None),
    "venue": ("venue", "lokasi kegiatan", lambda r: bool(r.venue)),
    "leading_official": ("leading_official", "pejabat yang memimpin", lambda r: r.leading_official is not None),
    "participants": (
        "participants",
        "daftar peserta (berkas) atau perkiraan jumlah peserta",
        lambda r: bool(r.expected_participants) or PARTICIPANT_LIST in r.documents,
    ),
    "speakers": ("speakers", "narasumber", lambda r: bool(r.speakers)),
    "special_needs": (
        "special_needs",
        "kebutuhan khusus (kirim daftar kosong bila tidak ada)",
        lambda r: r.special_needs is not None,
    ),
}


def check_details(profile: TenantProfile, details: Any) -> None:
    """Required fields and documents of the tenant (persyaratan)."""
    for broken in missing_details(profile, details):
        raise broken


def missing_details(profile: TenantProfile, details: Any) -> Iterator[DomainRuleBroken]:
    """Every required field and document `details` lacks, so a form can show them all at once."""
    for field_id in profile.required_fields:
        field, label, present = REQUIRED_FIELDS[field_id]
        if not present(details):
            yield DomainRuleBroken(field, f"{label} wajib diisi menurut persyaratan {profile.name}")
    for document in profile.required_documents:
        if document.id not in details.documents:
            yield DomainRuleBroken(
                f"documents.{document.id}", f"dokumen wajib dilampirkan (berkas PDF): {document.name}"
            )


def check_schedule(profile: TenantProfile, starts_at: datetime, ends_at: datetime, now: datetime) -> None:
    """The meeting is in the future, respects the lead time (H-n) and falls in service hours."""
    if starts_at <= now:
        raise DomainRuleBroken("starts_at", "waktu mulai harus di masa depan")
    if not profile.meets_lead_time(now, starts_at):
        latest = profile.lead_time.latest_submission_date(profile.calendar().local(starts_at).date())
        raise DomainRuleBroken(
            "starts_at",
            f"permohonan harus diajukan paling lambat H-{profile.lead_time.days}"
            f" sebelum acara, yaitu tanggal {latest:%d-%m-%Y}",
        )
    check_service_hours(profile, starts_at, ends_at)


def check_service_hours(profile: TenantProfile, starts_at: datetime, ends_at: datetime) -> None:
    """Layanan dilakukan pada jam kerja: the meeting lies within one working day's hours."""
    calendar = profile.calendar()
    start, end = calendar.local(starts_at), calendar.local(ends_at)
    hours = calendar.opening_hours_on(start.date())
    served = service_hours(profile)
    if hours is None:
        holiday = holiday_name(start.date())
        why = f"adalah hari libur ({holiday})" if holiday else "bukan hari kerja"
        raise DomainRuleBroken(
            "starts_at",
            f"acara hanya dapat difasilitasi pada hari dan jam layanan ({served}); {tanggal(start.date())} {why}",
        )
    if start.time() < hours.start or end.date() != start.date() or end.time() > hours.end:
        raise DomainRuleBroken(
            "ends_at" if start.time() >= hours.start else "starts_at",
            f"acara hanya dapat difasilitasi pada jam layanan ({served});"
            f" {tanggal_jam(start, profile.time_zone)} sampai {end:%H.%M} di luar jam itu",
        )


def processing_starts(profile: TenantProfile, submitted_at: datetime) -> datetime:
    """A request sent outside service hours is accepted; its SOP clock starts at the next opening."""
    return profile.calendar().next_opening(submitted_at)


def service_hours(profile: TenantProfile) -> str:
    by_weekday = {int(day): (spec.start, spec.end) for day, spec in profile.working_hours.by_weekday().items()}
    return weekly_hours(by_weekday, profile.time_zone)
