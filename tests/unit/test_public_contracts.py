"""The public feed's contracts: mapped from internal events in one place, free of personal data,
and never changed once agencies have them."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from shared.contracts import PUBLIC
from shared.events import CloudEvent, contracts as internal
from shared.events.public import PUBLIC_EVENTS, public_copy
from shared.events.public.mapping import MAPPING
from shared.events.public.schemas import PublishedSchemaChanged, public_schemas, refuse_changed

AT = datetime(2026, 12, 8, 1, 30, tzinfo=timezone.utc)
NEVER_PUBLIC = (
    "contact_ref",
    "complainant_ref",
    "tracking_code",
    "join_url",
    "passcode",
    "host_account",
    "by",
    "on_behalf_of",
    "addressee",
    "note",
    "reason",
    "recorded_by",
    "resolved_by",
    "officers_on_duty",
    "recording_url",
    "letter_ref",
)


def envelope_of(event, tenant: str = "kaltara") -> CloudEvent:
    return CloudEvent(
        source="vidcon/intake",
        type=event.type(),
        subject="stream-1",
        tenant=tenant,
        correlationid="c",
        causationid="c",
        streamversion=1,
        data=event.model_dump(mode="json"),
    )


def test_no_public_event_has_a_field_that_names_or_reaches_a_person():
    for model in PUBLIC_EVENTS.values():
        assert not set(model.model_fields) & set(NEVER_PUBLIC), model.name
    assert len(MAPPING) == len(PUBLIC_EVENTS), "each public event is mapped from one internal event"


def test_a_submitted_request_reaches_agencies_without_its_contact_or_tracking_code():
    submitted = internal.RequestSubmitted(
        request_id="r-1",
        tracking_code="KALTARA-7Q2M",
        agency="Bappeda",
        event_name="Rapat RKPD",
        starts_at=AT,
        ends_at=AT + timedelta(hours=2),
        online_only=True,
        contact_ref="contact-9",
        channel="web_form",
        submitted_at=AT,
    )
    subject, public = public_copy(envelope_of(submitted), submitted)
    assert subject == "vidcon_public.kaltara.request_submitted"
    assert public.type == "id.go.vidcon.public.request.submitted.v1" and public.subject == "r-1"
    text = public.model_dump_json()
    assert "contact-9" not in text and "KALTARA-7Q2M" not in text
    assert public.data["agency"] == "Bappeda"


def test_an_internal_event_without_a_public_contract_stays_inside():
    amended = internal.RequestAmended.model_construct(request_id="r-1")
    assert public_copy(envelope_of(internal.RequestWithdrawn(request_id="r-1", withdrawn_at=AT)), amended) is None


def test_the_checked_in_public_schemas_are_what_the_code_gives():
    on_disk = {path.name: path.read_text() for path in PUBLIC.glob("*.json")}
    assert on_disk == public_schemas(), "run `python -m shared.contracts`"


def test_a_published_schema_is_never_rewritten_only_superseded_by_a_new_version():
    published = public_schemas()
    name = "request.submitted.v1.json"
    changed = json.loads(published[name])
    changed["properties"]["data"]["description"] = "an added field would change the schema like this"
    with pytest.raises(PublishedSchemaChanged, match="request.submitted.v1.json.*next version"):
        refuse_changed(published, {**published, name: json.dumps(changed)})
    refuse_changed(published, {**published, "request.submitted.v2.json": "{}"})  # a new version is fine
