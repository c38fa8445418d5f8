"""Issue 12, gap 7: one contact channel is enough, and the request form's errors come all at once, each
at its own input."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from intake.domain.commands import Contact
from intake.domain.rules import missing_details
from intake.entrypoints.form_checks import all_errors, moment_errors
from intake.entrypoints.request_form import place
from shared.http import field_errors
from tests.unit.test_intake_rules import TENANTS, complete

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Asia/Makassar"))


@pytest.mark.parametrize(
    "whatsapp, email",
    [("081234567890", ""), ("", "siti@example.go.id"), ("081234567890", None), (None, "siti@example.go.id")],
)
def test_a_contact_needs_whatsapp_or_email_and_an_empty_one_is_absent(whatsapp, email):
    contact = Contact.model_validate({"name": "Siti Rahma", "whatsapp": whatsapp, "email": email})
    assert (contact.whatsapp, contact.email) == (whatsapp or None, email or None)


@pytest.mark.parametrize("given", [{"whatsapp": "", "email": " "}, {}])
def test_a_contact_with_neither_channel_is_refused_at_the_email_in_indonesian(given):
    with pytest.raises(ValidationError) as refused:
        Contact.model_validate({"name": "Siti Rahma"} | given)
    assert field_errors(refused.value.errors()) == [
        {"field": "email", "rule": "isi nomor WhatsApp atau email kontak person (salah satu)"}
    ]


def test_a_wrong_whatsapp_number_is_not_also_reported_as_a_missing_channel():
    with pytest.raises(ValidationError) as refused:
        Contact.model_validate({"name": "Siti Rahma", "whatsapp": "12", "email": ""})
    assert [e["field"] for e in field_errors(refused.value.errors())] == ["whatsapp"]


def test_every_missing_field_and_document_of_the_tenant_is_named():
    details = complete(venue=None, online_only=True, documents={})
    broken = [(rule.field, rule.message) for rule in missing_details(TENANTS["kaltara"], details)]
    assert [field for field, _ in broken] == ["venue", "documents.request_letter"]


def test_a_missing_date_is_named_under_the_date_and_an_unreadable_time_under_its_time():
    errors = moment_errors({"date": "", "start_time": "25:99", "end_time": "11:00"})
    assert errors == [
        {"field": "date", "rule": "tanggal acara wajib diisi"},
        {"field": "start_time", "rule": "jam mulai tidak sah"},
    ]


def test_the_tenants_rules_join_the_inputs_errors_once_per_input():
    invalid = [
        {"field": "contact.name", "rule": "minimal 3 karakter"},
        {"field": "starts_at", "rule": "wajib diisi"},
        {"field": "ends_at", "rule": "wajib diisi"},
    ]
    moments = [{"field": "date", "rule": "tanggal acara wajib diisi"}]
    data = {"agency": "Bappeda", "contact": {"name": ""}, "event_name": "Rapat", "documents": {}, "special_needs": []}
    errors = all_errors(TENANTS["kaltara"], data, None, invalid, moments, NOW)
    assert [(place(e["field"]), e["rule"]) for e in errors] == [
        ("date", "tanggal acara wajib diisi"),
        ("contact_name", "minimal 3 karakter"),
        ("venue", f"lokasi kegiatan wajib diisi menurut persyaratan {TENANTS['kaltara'].name}"),
        (
            "request_letter",
            "dokumen wajib dilampirkan (berkas PDF): "
            "Surat permohonan penyelenggaraan video conference kepada Kepala Dinas",
        ),
    ]


def test_a_valid_request_outside_service_hours_is_told_with_the_other_errors():
    command = complete(starts_at="2027-01-05T06:00:00+08:00", ends_at="2027-01-05T07:00:00+08:00")
    errors = all_errors(TENANTS["kaltara"], {}, command, [], [], NOW)
    assert [e["field"] for e in errors] == ["starts_at"] and "jam layanan" in errors[0]["rule"]
