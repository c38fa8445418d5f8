"""The published event contracts: files in contracts/, envelope, versions, and no personal data."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from shared.contracts import drifted
from shared.events import CloudEvent, decode, envelope_for, registered_events, subject_for, upcast
from shared.events.contracts import Disposed, RequestSubmitted, RequestWithdrawn, StepTiming
from shared.events.contracts.intake import RequestSubmittedV1
from shared.events.schemas import envelope_model

WIB, WITA = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar")


def test_checked_in_contracts_match_the_code():
    assert drifted() == [], "contracts/ differs from the code: run `python -m shared.contracts` and commit"


def disposed() -> Disposed:
    timing = StepTiming(
        step="dispose_to_head_of_division",
        started_at=datetime(2026, 11, 27, 16, 20, tzinfo=WITA),
        due_at=datetime(2026, 11, 30, 8, 50, tzinfo=WITA),
        finished_at=datetime(2026, 11, 30, 8, 40, tzinfo=WITA),
        met_standard=True,
        margin_minutes=10,
    )
    return Disposed(
        request_id="req-1",
        by="kadis-1",
        timing=timing,
        to_step="dispose_to_technical_team",
        to_role="head_of_division",
        addressee="kabid-1",
        note="Mohon ditindaklanjuti",
    )


def test_envelope_survives_a_json_round_trip_and_decodes_to_the_same_event():
    event = disposed()
    envelope = envelope_for(
        event, tenant="kaltara", subject=subject_for("kaltara", event), stream_version=1, correlation_id="corr-1"
    )

    back = CloudEvent.from_json(envelope.to_json())

    assert back == envelope
    assert (back.type, back.source, back.tenant) == ("id.go.vidcon.request.disposed.v1", "/vidcon/approval", "kaltara")
    assert back.causationid == back.id  # a first event is its own cause
    decoded = decode(back)
    assert decoded == event
    assert decoded.timing.due_at.utcoffset().total_seconds() == 8 * 3600  # WITA offset kept


def test_subject_names_tenant_context_and_event():
    assert subject_for("kaltara", Disposed) == "vidcon.kaltara.approval.request_disposed"
    assert subject_for("purbalingga", RequestSubmitted) == "vidcon.purbalingga.intake.request_submitted"


def v1_submitted() -> RequestSubmittedV1:
    return RequestSubmittedV1(
        request_id="req-1",
        tracking_code="ABCD2345",
        agency="Dinas Kesehatan",
        event_name="Rakor",
        starts_at=datetime(2026, 12, 3, 9, 0, tzinfo=WIB),
        ends_at=datetime(2026, 12, 3, 11, 0, tzinfo=WIB),
        online_only=True,
        contact_ref="kontak-1",
        received_at=datetime(2026, 12, 1, 10, 15, tzinfo=WIB),
    )


def test_upcasting_v1_keeps_received_at_as_submitted_at_and_sets_web_form():
    data = v1_submitted().model_dump(mode="json")

    version, upcast_data = upcast("request.submitted", 1, data)

    assert version == 2
    assert upcast_data["submitted_at"] == "2026-12-01T10:15:00+07:00"
    assert upcast_data["channel"] == "web_form"
    assert "received_at" not in upcast_data
    assert data["received_at"] == "2026-12-01T10:15:00+07:00"  # the stored v1 data is not mutated


def test_a_v1_envelope_decodes_as_the_newest_model():
    envelope = envelope_for(
        v1_submitted(),
        tenant="majalengka",
        subject="vidcon.majalengka.intake.request_submitted",
        stream_version=1,
        correlation_id="c",
    )

    event = decode(CloudEvent.from_json(envelope.to_json()))

    assert type(event) is RequestSubmitted
    assert event.submitted_at == datetime(2026, 12, 1, 10, 15, tzinfo=WIB)
    assert (event.channel, event.contact_ref, event.special_needs) == ("web_form", "kontak-1", [])


def test_a_naive_datetime_in_a_payload_is_refused():
    with pytest.raises(ValidationError, match="must carry a time zone offset"):
        RequestWithdrawn(request_id="req-1", withdrawn_at=datetime(2026, 12, 2, 9, 0))


def test_a_naive_datetime_arriving_in_an_envelope_is_refused_on_decode():
    envelope = envelope_for(
        RequestWithdrawn(request_id="req-1", withdrawn_at=datetime(2026, 12, 2, 9, 0, tzinfo=WIB)),
        tenant="tangerang",
        subject="s",
        stream_version=2,
        correlation_id="c",
    )
    tampered = envelope.model_copy(update={"data": envelope.data | {"withdrawn_at": "2026-12-02T09:00:00"}})

    with pytest.raises(ValidationError, match="must carry a time zone offset"):
        decode(tampered)


PERSONAL = re.compile(
    r"(^|_)(name|names|phone|telepon|hp|whatsapp|wa|email|mail|participants?|peserta"
    r"|contact|kontak|complainant|pelapor|address|alamat|nik|speakers?|narasumber)(_|$)"
)


def published_fields(event) -> set[str]:
    """Every property name in the event's published JSON Schema, nested models included."""
    schema = envelope_model(event).model_json_schema()
    names, stack = set(), [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            names |= set(node.get("properties", {}))
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return names


def test_no_published_event_carries_personal_data_fields():
    flagged = {
        (event.type(), field)
        for event in registered_events()
        for field in published_fields(event)
        if PERSONAL.search(field)
    }

    references = {(t, f) for t, f in flagged if f.endswith("_ref")}
    others = flagged - references
    assert references == {
        ("id.go.vidcon.request.submitted.v1", "contact_ref"),
        ("id.go.vidcon.request.submitted.v2", "contact_ref"),
        ("id.go.vidcon.request.submitted.v2", "participant_list_ref"),
        ("id.go.vidcon.complaint.received.v1", "complainant_ref"),
        ("id.go.vidcon.complaint.received.v2", "complainant_ref"),
    }
    # Looks personal by name but is not: a meeting title and head counts.
    assert others == {
        ("id.go.vidcon.request.submitted.v1", "event_name"),
        ("id.go.vidcon.request.submitted.v2", "event_name"),
        ("id.go.vidcon.request.submitted.v2", "expected_participants"),
        ("id.go.vidcon.request.submitted.v2", "speaker_count"),
    }
    assert RequestSubmitted.model_fields["expected_participants"].annotation == int | None


def test_the_personal_data_check_would_catch_a_new_personal_field():
    suspicious = ["contact_name", "whatsapp", "email", "participants", "speakers", "complainant_phone"]
    assert all(PERSONAL.search(field) for field in suspicious)
    assert not any(PERSONAL.search(field) for field in ["request_id", "by", "addressee", "tracking_code"])
