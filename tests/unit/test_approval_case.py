"""ApprovalCase: verifikasi, disposisi and persetujuan against each tenant's own steps and clock.

Dates are real 2026 dates; holidays come from the `holidays` package (public + cuti bersama).
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from approval.domain.case import ApprovalCase
from approval.domain.steps import Actor
from shared.config import REPO_ROOT
from shared.events.contracts import (
    Disposed,
    RequestApproved,
    RequestRejected,
    RequestReturned,
    RequestVerified,
)
from shared.http import DomainRuleBroken
from shared.tenants import Role, load_tenants

TENANTS = load_tenants(REPO_ROOT / "tenants")
WIB, WITA = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar")


def opened(tenant: str, submitted_at: datetime, request_id: str = "req-1") -> ApprovalCase:
    profile = TENANTS[tenant]
    return ApprovalCase(request_id, tenant).open(profile, submitted_at)


KADIS, KABID = Actor("kadis-1", Role.HEAD_OF_DEPARTMENT), Actor("kabid-aptika", Role.HEAD_OF_DIVISION)


# Kaltara: Friday 2026-11-27 closes at 16:30 WITA, so 10 of the 60 minutes are spent on Friday.
KALTARA_SUBMITTED = datetime(2026, 11, 27, 16, 20, tzinfo=WITA)
KALTARA_MONDAY_0840 = datetime(2026, 11, 30, 8, 40, tzinfo=WITA)


def kaltara_disposed() -> ApprovalCase:
    case = opened("kaltara", KALTARA_SUBMITTED)
    case.pass_on(KADIS, KALTARA_MONDAY_0840, "Mohon ditindaklanjuti", "kabid-aptika")
    return case


def test_kaltara_head_of_department_disposes_on_monday_within_the_standard():
    case = kaltara_disposed()

    [event] = case.pending
    assert isinstance(event, Disposed)
    assert event.request_id == "req-1" and event.by == "kadis-1"
    assert event.to_step == "dispose_to_technical_team"
    assert event.to_role == "head_of_division"
    assert event.addressee == "kabid-aptika" and event.note == "Mohon ditindaklanjuti"
    timing = event.timing
    assert timing.step == "dispose_to_head_of_division"
    assert timing.started_at == KALTARA_SUBMITTED
    assert timing.due_at == datetime(2026, 11, 30, 8, 50, tzinfo=WITA)
    assert timing.finished_at == KALTARA_MONDAY_0840
    assert timing.met_standard is True
    assert timing.margin_minutes == 10


def test_kaltara_head_of_division_late_by_twenty_working_minutes_misses_the_standard():
    case = kaltara_disposed()
    case.approve(KABID, datetime(2026, 11, 30, 10, 0, tzinfo=WITA))

    approved = case.pending[-1]
    assert isinstance(approved, RequestApproved) and approved.signed is True
    # The second step's clock starts when the disposition reached it (Mon 08:40), 60 working minutes.
    assert approved.timing.step == "dispose_to_technical_team"
    assert approved.timing.started_at == KALTARA_MONDAY_0840
    assert approved.timing.due_at == datetime(2026, 11, 30, 9, 40, tzinfo=WITA)
    assert approved.timing.met_standard is False
    assert approved.timing.margin_minutes == -20


def test_approve_before_the_last_step_is_refused_in_indonesian():
    case = opened("kaltara", KALTARA_SUBMITTED)

    with pytest.raises(DomainRuleBroken) as refused:
        case.approve(KADIS, KALTARA_MONDAY_0840)

    assert refused.value.status == 409
    assert refused.value.message == (
        "permohonan masih pada langkah 'Kepala Dinas mendisposisikan permohonan kepada Kepala Bidang'"
    )
    assert case.pending == []


def test_passing_on_from_the_last_step_is_refused():
    case = kaltara_disposed()

    with pytest.raises(DomainRuleBroken, match="langkah terakhir: setujui dan disposisikan, atau tolak permohonan"):
        case.pass_on(KABID, datetime(2026, 11, 30, 9, 0, tzinfo=WITA))
    assert len(case.pending) == 1


def test_kaltara_reject_closes_the_request():
    case = opened("kaltara", KALTARA_SUBMITTED)
    case.reject(KADIS, "Jadwal bentrok dengan rapat pimpinan", KALTARA_MONDAY_0840)

    [event] = case.pending
    assert isinstance(event, RequestRejected)
    assert event.reason == "Jadwal bentrok dengan rapat pimpinan"
    assert event.timing.step == "dispose_to_head_of_division" and event.timing.met_standard is True
    assert case.closed is True


@pytest.mark.parametrize("action", ["pass_on", "approve", "reject"])
def test_acting_on_a_closed_case_is_refused(action):
    case = kaltara_disposed()
    case.approve(KABID, datetime(2026, 11, 30, 9, 0, tzinfo=WITA))
    later = datetime(2026, 11, 30, 9, 30, tzinfo=WITA)
    calls = {
        "pass_on": lambda: case.pass_on(KABID, later),
        "approve": lambda: case.approve(KABID, later),
        "reject": lambda: case.reject(KABID, "berubah pikiran", later),
    }

    with pytest.raises(DomainRuleBroken) as refused:
        calls[action]()

    assert (refused.value.field, refused.value.message, refused.value.status) == (
        "request_id",
        "permohonan sudah diputuskan",
        409,
    )
    assert [type(e) for e in case.pending] == [Disposed, RequestApproved]


def test_majalengka_verification_reject_returns_to_the_requester_not_closed():
    submitted = datetime(2026, 12, 1, 9, 0, tzinfo=WIB)  # Tuesday
    case = opened("majalengka", submitted)
    returned_at = datetime(2026, 12, 2, 10, 0, tzinfo=WIB)
    case.reject(Actor("tim-teknis-1", Role.TECHNICAL_TEAM), "Daftar peserta belum dilampirkan", returned_at)

    [event] = case.pending
    assert isinstance(event, RequestReturned)
    assert event.missing_items == [] and event.note == "Daftar peserta belum dilampirkan"
    # 1 working day from Tue 09:00 is Wed 09:00; returned at Wed 10:00 is 60 working minutes late.
    assert event.timing.due_at == datetime(2026, 12, 2, 9, 0, tzinfo=WIB)
    assert (event.timing.met_standard, event.timing.margin_minutes) == (False, -60)
    assert case.closed is False
    assert case.step.id == "verify_documents" and case.with_requester is True


STAF, SUBKOOR = Actor("staf-iidc", Role.VERIFIER), Actor("subkoor-1", Role.APPROVER)


def tangerang_at_signature() -> ApprovalCase:
    case = opened("tangerang", datetime(2026, 12, 1, 9, 0, tzinfo=WIB))
    case.pass_on(STAF, datetime(2026, 12, 1, 9, 2, tzinfo=WIB), checked=["request_form"])
    return case


def test_tangerang_case_starts_at_verification_because_submitting_is_the_requesters_form():
    case = tangerang_at_signature()

    [verified] = case.pending
    assert isinstance(verified, RequestVerified) and verified.checked_items == ["request_form"]
    assert verified.timing.step == "receive_and_verify"
    assert verified.timing.due_at == datetime(2026, 12, 1, 9, 2, tzinfo=WIB)
    assert (verified.timing.margin_minutes, verified.timing.met_standard) == (0, True)
    assert case.step.id == "approve_by_signature"


def test_tangerang_unsigned_approval_goes_back_to_the_requester_and_resumes_at_verification():
    case = tangerang_at_signature()
    case.approve(SUBKOOR, datetime(2026, 12, 1, 9, 5, tzinfo=WIB), signed=False)

    event = case.pending[-1]
    assert isinstance(event, RequestReturned)
    assert event.note == "Persetujuan tidak ditandatangani"
    assert event.resumes_at_step == "receive_and_verify"
    assert (event.timing.step, event.timing.margin_minutes, event.timing.met_standard) == (
        "approve_by_signature",
        -1,
        False,
    )
    assert case.closed is False and case.with_requester is True


def test_state_is_rebuilt_from_recorded_events():
    original = tangerang_at_signature()
    original.reject(SUBKOOR, "FPVC tidak ditandatangani", datetime(2026, 12, 1, 9, 7, tzinfo=WIB))

    rebuilt = opened("tangerang", datetime(2026, 12, 1, 9, 0, tzinfo=WIB)).replay(original.pending)

    assert rebuilt.version == 2 and rebuilt.pending == []
    assert rebuilt.step.id == "receive_and_verify" and rebuilt.with_requester is True
    resubmitted_at = datetime(2026, 12, 1, 10, 0, tzinfo=WIB)
    assert rebuilt.resubmit(resubmitted_at, ["document_refs"]) is True
    rebuilt.verify(STAF, ["request_form"], datetime(2026, 12, 1, 10, 3, tzinfo=WIB))
    event = rebuilt.pending[-1]
    assert event.timing.started_at == resubmitted_at
    assert event.timing.due_at == datetime(2026, 12, 1, 10, 2, tzinfo=WIB)
    assert (event.timing.met_standard, event.timing.margin_minutes) == (False, -1)


def test_rebuilt_closed_case_refuses_further_action():
    original = kaltara_disposed()
    original.approve(KABID, datetime(2026, 11, 30, 9, 0, tzinfo=WITA))

    rebuilt = opened("kaltara", KALTARA_SUBMITTED).replay(original.pending)

    assert rebuilt.closed is True and rebuilt.version == 2
    with pytest.raises(DomainRuleBroken, match="permohonan sudah diputuskan"):
        rebuilt.reject(KABID, "terlambat", datetime(2026, 11, 30, 9, 30, tzinfo=WITA))


def test_a_missed_step_never_reports_a_zero_margin():
    case = opened("kaltara", KALTARA_SUBMITTED)
    case.pass_on(KADIS, datetime(2026, 11, 30, 8, 50, 20, tzinfo=WITA))  # 20 s after due

    timing = case.pending[0].timing
    assert timing.met_standard is False
    assert timing.margin_minutes < 0
