"""Permohonan at intake: what a requester may submit, and when it may be withdrawn."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from intake.domain.commands import SubmitRequest
from intake.domain.request import Request
from shared.events.contracts import RequestSubmitted, RequestWithdrawn
from shared.http import DomainRuleBroken
from shared.http.errors import _field_name, _rule

WIB = ZoneInfo("Asia/Jakarta")
STARTS = datetime(2026, 12, 3, 9, 0, tzinfo=WIB)
ENDS = datetime(2026, 12, 3, 12, 0, tzinfo=WIB)


def form(**changes) -> dict:
    data = {
        "agency": "Dinas Kesehatan Kabupaten Purbalingga",
        "contact": {"name": "Siti Rahayu", "whatsapp": "081234567890", "email": "siti@example.go.id"},
        "event_name": "Rapat Koordinasi Posyandu",
        "starts_at": STARTS.isoformat(),
        "ends_at": ENDS.isoformat(),
    }
    return data | changes


def user_errors(data: dict) -> list[tuple[str, str]]:
    """(field, rule) as the API shows them to the requester."""
    with pytest.raises(ValidationError) as invalid:
        SubmitRequest.model_validate(data)
    return [(_field_name(e["loc"]), _rule(e)) for e in invalid.value.errors()]


def test_a_complete_online_request_is_accepted_with_web_form_channel():
    command = SubmitRequest.model_validate(form())

    assert command.online_only is True and command.venue is None
    assert command.channel == "web_form"
    assert command.starts_at == STARTS


def test_end_before_start_is_refused_in_indonesian():
    errors = user_errors(form(ends_at=datetime(2026, 12, 3, 8, 0, tzinfo=WIB).isoformat()))

    assert errors == [("ends_at", "waktu selesai harus setelah waktu mulai (starts_at)")]


def test_end_equal_to_start_is_refused_too():
    errors = user_errors(form(ends_at=STARTS.isoformat()))

    assert errors == [("ends_at", "waktu selesai harus setelah waktu mulai (starts_at)")]


def test_venue_required_when_not_online_only():
    errors = user_errors(form(online_only=False))

    assert errors == [("venue", "lokasi wajib diisi bila acara tidak hanya daring")]


def test_on_site_request_with_venue_is_accepted():
    command = SubmitRequest.model_validate(form(online_only=False, venue="Ruang Rapat Bupati"))

    assert command.venue == "Ruang Rapat Bupati"


@pytest.mark.parametrize("number", ["12345", "0712345678", "+6281", "08123abc4567", "+1 555 0100"])
def test_bad_whatsapp_number_is_refused(number):
    data = form()
    data["contact"] = data["contact"] | {"whatsapp": number}

    errors = user_errors(data)

    assert [field for field, _ in errors] == ["contact.whatsapp"]


@pytest.mark.parametrize("number", ["081234567890", "6281234567890", "+6281234567890"])
def test_indonesian_mobile_numbers_are_accepted(number):
    data = form()
    data["contact"] = data["contact"] | {"whatsapp": number}

    assert SubmitRequest.model_validate(data).contact.whatsapp == number


def test_extra_field_is_refused_as_unknown():
    errors = user_errors(form(nik="3303010101010001"))

    assert errors == [("nik", "tidak dikenal")]


def test_naive_start_time_is_refused():
    errors = user_errors(form(starts_at="2026-12-03T09:00:00"))

    assert [field for field, _ in errors] == ["starts_at"]


def submitted() -> Request:
    event = RequestSubmitted(
        request_id="req-1",
        tracking_code="ABCD2345",
        agency="Dinas Kesehatan",
        event_name="Rapat Koordinasi",
        starts_at=STARTS,
        ends_at=ENDS,
        online_only=True,
        channel="web_form",
        contact_ref="kontak-ref-1",
        submitted_at=datetime(2026, 12, 1, 10, 0, tzinfo=WIB),
    )
    return Request.submit("purbalingga", event)


def test_withdraw_before_start_records_request_withdrawn():
    request = submitted()
    at = datetime(2026, 12, 3, 8, 59, tzinfo=WIB)

    request.withdraw("Acara ditunda", at)

    kinds = [type(e) for e in request.pending]
    assert kinds == [RequestSubmitted, RequestWithdrawn]
    withdrawn = request.pending[-1]
    assert (withdrawn.request_id, withdrawn.reason, withdrawn.withdrawn_at) == ("req-1", "Acara ditunda", at)


def test_withdraw_compares_instants_not_wall_clocks():
    request = submitted()
    # 09:30 WITA is 08:30 WIB: still before the 09:00 WIB start.
    request.withdraw("", datetime(2026, 12, 3, 9, 30, tzinfo=ZoneInfo("Asia/Makassar")))

    assert isinstance(request.pending[-1], RequestWithdrawn)


@pytest.mark.parametrize("now", [STARTS, datetime(2026, 12, 3, 10, 0, tzinfo=WIB)])
def test_withdraw_at_or_after_start_is_refused(now):
    request = submitted()

    with pytest.raises(DomainRuleBroken) as refused:
        request.withdraw("", now)

    assert refused.value.message == "permohonan tidak dapat dibatalkan setelah acara dimulai"
    assert refused.value.status == 409
    assert [type(e) for e in request.pending] == [RequestSubmitted]


def test_withdraw_twice_is_refused():
    request = submitted()
    request.withdraw("Acara ditunda", datetime(2026, 12, 2, 9, 0, tzinfo=WIB))

    with pytest.raises(DomainRuleBroken) as refused:
        request.withdraw("lagi", datetime(2026, 12, 2, 9, 5, tzinfo=WIB))

    assert (refused.value.message, refused.value.status) == ("permohonan sudah dibatalkan", 409)
    assert len(request.pending) == 2


def test_withdrawal_state_survives_rehydration():
    original = submitted()
    original.withdraw("", datetime(2026, 12, 2, 9, 0, tzinfo=WIB))

    rebuilt = Request.rehydrate("req-1", "purbalingga", original.pending)

    assert rebuilt.starts_at == STARTS and rebuilt.withdrawn is True
    with pytest.raises(DomainRuleBroken, match="sudah dibatalkan"):
        rebuilt.withdraw("", datetime(2026, 12, 2, 10, 0, tzinfo=WIB))


def test_amend_before_verification_records_request_amended():
    from intake.domain.request import Progress
    from shared.events.contracts import RequestAmended

    request = submitted()
    request.amend({"agenda": "Pembahasan RKPD"}, datetime(2026, 12, 2, 9, 0, tzinfo=WIB), Progress())

    assert isinstance(request.pending[-1], RequestAmended) and request.details["agenda"] == "Pembahasan RKPD"


def test_amend_after_verification_is_refused_with_the_way_out():
    from intake.domain.request import Progress

    with pytest.raises(DomainRuleBroken) as refused:
        submitted().amend({"agenda": "x"}, datetime(2026, 12, 2, 9, 0, tzinfo=WIB), Progress(verification_started=True))

    assert (refused.value.status, refused.value.message) == (
        409,
        "permohonan sudah diverifikasi dan tidak dapat diubah lagi; ajukan jadwal ulang atau batalkan permohonan",
    )


def test_reschedule_records_old_and_new_times_and_moves_the_start():
    from intake.domain.request import Progress
    from shared.events.contracts import RequestRescheduled

    request, later = submitted(), datetime(2026, 12, 4, 9, 0, tzinfo=WIB)
    request.reschedule(
        later,
        datetime(2026, 12, 4, 11, 0, tzinfo=WIB),
        "Bupati berhalangan",
        datetime(2026, 12, 2, 9, 0, tzinfo=WIB),
        Progress(verification_started=True),
    )

    moved = request.pending[-1]
    assert isinstance(moved, RequestRescheduled) and (moved.previous_starts_at, moved.starts_at) == (STARTS, later)
    assert request.starts_at == later


@pytest.mark.parametrize(
    "closed_as, message", [("rejected", "permohonan sudah ditolak"), ("held", "acara sudah terlaksana")]
)
def test_a_closed_request_cannot_be_rescheduled_or_withdrawn(closed_as, message):
    from intake.domain.request import Progress

    request, at = submitted(), datetime(2026, 12, 2, 9, 0, tzinfo=WIB)
    with pytest.raises(DomainRuleBroken, match=message):
        request.withdraw("", at, Progress(closed_as=closed_as))
    with pytest.raises(DomainRuleBroken, match=message):
        request.reschedule(STARTS, ENDS.replace(hour=13), "", at, Progress(closed_as=closed_as))


def test_an_amendment_names_personal_fields_without_their_values():
    from intake.domain.amendment import amended, changed_fields
    from intake.domain.commands import RequestDetails

    current = {
        "agency": "Dinas Kesehatan",
        "event_name": "Rapat Koordinasi",
        "contact": {"name": "Siti Rahayu", "whatsapp": "081234567890", "email": "siti@example.go.id"},
        "speakers": [{"name": "Dr. Rina Wati"}],
        "documents": {"request_letter": "00000000-0000-4000-8000-000000000001"},
    }
    after = amended(
        current,
        {
            "speakers": [{"name": "Dr. Budi Santoso"}, {"name": "Ir. Ani Lestari"}],
            "documents": {"participant_list": "00000000-0000-4000-8000-000000000002"},
        },
    )

    changes = changed_fields(RequestDetails.model_validate(current), after)

    assert changes == {
        "speakers": None,
        "speaker_count": 2,
        "documents": {
            "request_letter": "00000000-0000-4000-8000-000000000001",
            "participant_list": "00000000-0000-4000-8000-000000000002",
        },
    }
