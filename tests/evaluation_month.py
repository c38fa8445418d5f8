"""February 2026 of one tenant, as its services would have recorded it, for the evaluation tests.

Eight requests whose meetings fall in February (held, held after a return and resubmission,
held after a reschedule, late across the Imlek cuti bersama, withdrawn, rejected, failed,
returned and left), two complaints, two survey responses and a finding recorded on
January's evaluation.
Every step is timed with the tenant's own calendar, as approval and provisioning time them.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from shared.events import envelope_for
from shared.events.contracts import (
    ComplaintClassified,
    ComplaintReceived,
    ComplaintResolved,
    Disposed,
    EquipmentReady,
    EvaluationFindingRecorded,
    MeetingHeld,
    MeetingScheduled,
    RequestApproved,
    RequestRejected,
    RequestRescheduled,
    RequestReturned,
    RequestSubmitted,
    RequestVerified,
    RequestWithdrawn,
    StepTiming,
    SurveyAnswered,
)
from shared.events.contracts.approval import RequestReopened, RequestResubmitted
from shared.events.contracts.provisioning import DeliveryStepCompleted, MeetingFailed, MeetingRescheduled
from shared.tenants import TenantProfile
from shared.tenants.vocabulary import Role

M = timedelta(minutes=1)


class Month:
    def __init__(self, profile: TenantProfile):
        self.profile, self.zone = profile, profile.calendar().zone
        self.envelopes: list[dict] = []
        self.versions: dict[str, int] = {}
        self.steps = [s for s in profile.approval_steps if s.role is not Role.REQUESTER]
        self.delivery = {
            s.done_when.value if hasattr(s.done_when, "value") else s.done_when: s
            for s in profile.delivery_steps
            if s.standard is not None
        }
        self.ids: dict[str, str] = {}

    def at(self, day: int, hour: int, minute: int = 0) -> datetime:
        return datetime(2026, 2, day, hour, minute, tzinfo=self.zone)

    def record(self, stream: str, event, at: datetime | None = None) -> None:
        version = self.versions[stream] = self.versions.get(stream, 0) + 1
        envelope = envelope_for(
            event, tenant=self.profile.id, subject=stream, stream_version=version, correlation_id=str(uuid.uuid4())
        )
        if at is not None:
            envelope = envelope.model_copy(update={"time": at})
        self.envelopes.append(envelope.model_dump(mode="json"))

    def timing(self, step, started: datetime, finished: datetime) -> StepTiming:
        return StepTiming.of(step.id, self.profile.calendar().assess(started, finished, step.standard.to_standard()))

    def submit(self, name: str, day: int, starts: datetime) -> str:
        request_id = self.ids[name] = str(uuid.uuid4())
        self.record(
            request_id,
            RequestSubmitted(
                request_id=request_id,
                tracking_code=name,
                agency="Bappeda" if name in ("R1", "R2", "R5") else "BPBD",
                event_name=f"Rapat {name}",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                online_only=False,
                venue="Aula",
                channel="official_letter",
                contact_ref=str(uuid.uuid4()),
                submitted_at=self.at(day, 9),
                leading_official_position="Sekretaris Daerah",
            ),
        )
        return request_id

    def pass_steps(self, request_id: str, start: datetime, first_took: timedelta = M) -> datetime:
        """Every official step, the first taking `first_took`, the others a minute each; then approved."""
        at = start
        for index, step in enumerate(self.steps):
            took = first_took if index == 0 else M
            timing = self.timing(step, at, at + took)
            at += took
            if index == len(self.steps) - 1:
                self.record(request_id, RequestApproved(request_id=request_id, by="pejabat", timing=timing))
            elif index == 0 and step.role is Role.VERIFIER:
                self.record(request_id, RequestVerified(request_id=request_id, by="verifikator", timing=timing))
            else:
                self.record(
                    request_id,
                    Disposed(
                        request_id=request_id,
                        by="pejabat",
                        timing=timing,
                        to_step=self.steps[index + 1].id,
                        to_role="x",
                    ),
                )
        return at

    def deliver(self, milestone: str, request_id: str, started: datetime, finished: datetime) -> None:
        step = self.delivery.get(milestone)
        if step is not None:
            self.record(
                request_id, DeliveryStepCompleted(request_id=request_id, timing=self.timing(step, started, finished))
            )

    def schedule(self, request_id: str, decided: datetime, scheduled: datetime, starts: datetime) -> None:
        self.record(
            request_id,
            MeetingScheduled(
                request_id=request_id,
                meeting_id="m-" + request_id[:8],
                provider="zoom",
                host_account="zoom-1",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                join_url="https://zoom.example/j/1",
                passcode="123456",
            ),
            at=scheduled,
        )
        self.deliver("meeting_scheduled", request_id, decided, scheduled)

    def ready_and_hold(self, request_id: str, decided: datetime, starts: datetime, attendance: int) -> None:
        ready = decided + 30 * M
        self.record(request_id, EquipmentReady(request_id=request_id, meeting_id="m", checklist=[], ready_at=ready))
        self.deliver("equipment_ready", request_id, decided, ready)
        self.record(
            request_id,
            MeetingHeld(
                request_id=request_id,
                meeting_id="m",
                started_at=starts,
                ended_at=starts + timedelta(hours=2),
                attendance=attendance,
                officers_on_duty=["operator1"],
            ),
        )
        self.deliver("meeting_held", request_id, starts, starts + 30 * M)

    def normal(self, name: str, day: int, starts: datetime, attendance: int) -> None:
        request_id = self.submit(name, day, starts)
        decided = self.pass_steps(request_id, self.at(day, 9))
        self.schedule(request_id, decided, self.at(day, 9, 30), starts)
        self.ready_and_hold(request_id, decided, starts, attendance)


def february(profile: TenantProfile) -> list[dict]:
    m = Month(profile)
    m.normal("R1", 2, m.at(5, 10), attendance=50)

    r2 = m.submit("R2", 13, m.at(20, 10))  # submitted Friday 13 February, 09:00; its first step waits
    m.envelopes[-1]["data"]["submitted_at"] = m.at(13, 15).isoformat()  # ... from 15:00, over the cuti bersama
    first = m.steps[0]
    rest = m.steps[1:]
    m.steps = [first]
    timing = m.timing(first, m.at(13, 15), m.at(18, 9))
    event = RequestApproved if not rest else (RequestVerified if first.role is Role.VERIFIER else Disposed)
    extra = {} if event is not Disposed else {"to_step": rest[0].id, "to_role": "x"}
    m.record(r2, event(request_id=r2, by="pejabat", timing=timing, **extra))
    m.steps = rest
    decided = m.pass_steps(r2, m.at(18, 9)) if rest else m.at(18, 9)
    m.steps = [first, *rest]
    m.schedule(r2, decided, m.at(18, 9, 30), m.at(20, 10))
    m.ready_and_hold(r2, decided, m.at(20, 10), attendance=40)

    r3 = m.submit("R3", 3, m.at(12, 10))
    m.record(r3, RequestWithdrawn(request_id=r3, withdrawn_at=m.at(3, 10)))

    r4 = m.submit("R4", 4, m.at(11, 10))
    m.record(
        r4,
        RequestRejected(
            request_id=r4, by="pejabat", reason="Jadwal bentrok", timing=m.timing(m.steps[0], m.at(4, 9), m.at(4, 9, 1))
        ),
    )

    r5 = m.submit("R5", 3, m.at(19, 10))
    m.record(
        r5,
        RequestReturned(
            request_id=r5,
            by="pejabat",
            missing_items=["request_letter"],
            timing=m.timing(m.steps[0], m.at(3, 9), m.at(3, 9, 10)),
        ),
    )
    m.record(r5, RequestResubmitted(request_id=r5, resubmitted_at=m.at(4, 9), resumes_at_step=m.steps[0].id))
    decided = m.pass_steps(r5, m.at(4, 9), first_took=2 * M)
    m.schedule(r5, decided, m.at(4, 9, 30), m.at(19, 10))
    m.ready_and_hold(r5, decided, m.at(19, 10), attendance=30)

    r6 = m.submit("R6", 10, m.at(24, 10))
    decided = m.pass_steps(r6, m.at(10, 9))
    m.schedule(r6, decided, m.at(10, 9, 30), m.at(24, 10))
    m.record(r6, MeetingFailed(request_id=r6, reason="equipment_missing", failed_at=m.at(24, 10), by="operator1"))

    r7 = m.submit("R7", 11, m.at(25, 10))
    m.record(
        r7,
        RequestReturned(
            request_id=r7,
            by="pejabat",
            missing_items=["request_letter"],
            timing=m.timing(m.steps[0], m.at(11, 9), m.at(11, 9, 10)),
        ),
    )

    r8 = m.submit("R8", 5, m.at(10, 10))
    decided = m.pass_steps(r8, m.at(5, 9))
    m.schedule(r8, decided, m.at(5, 9, 30), m.at(10, 10))
    m.record(
        r8,
        RequestRescheduled(
            request_id=r8,
            starts_at=m.at(26, 10),
            ends_at=m.at(26, 12),
            previous_starts_at=m.at(10, 10),
            previous_ends_at=m.at(10, 12),
            rescheduled_at=m.at(6, 9),
        ),
    )
    m.record(r8, RequestReopened(request_id=r8, reopened_at=m.at(6, 9), resumes_at_step=m.steps[0].id))
    decided = m.pass_steps(r8, m.at(6, 9))
    m.record(
        r8,
        MeetingRescheduled(request_id=r8, meeting_id="m", starts_at=m.at(26, 10), ends_at=m.at(26, 12)),
        at=m.at(6, 9, 30),
    )
    m.ready_and_hold(r8, decided, m.at(26, 10), attendance=20)

    light, heavy = str(uuid.uuid4()), str(uuid.uuid4())
    deadlines = profile.complaint_deadlines
    calendar = profile.calendar()
    m.record(
        light,
        ComplaintReceived(
            complaint_id=light,
            tracking_code="LIGHT234",
            channel="web_form",
            complainant_ref="c1",
            received_at=m.at(9, 9),
        ),
    )
    m.record(
        light,
        ComplaintClassified(
            complaint_id=light,
            kind="light",
            classified_by="officer",
            classified_at=m.at(9, 11),
            due_at=calendar.due(m.at(9, 9), deadlines.light.to_standard()),
        ),
    )
    m.record(
        light,
        ComplaintResolved(
            complaint_id=light,
            timing=StepTiming.of("light", calendar.assess(m.at(9, 9), m.at(11, 10), deadlines.light.to_standard())),
        ),
    )
    m.record(
        heavy,
        ComplaintReceived(
            complaint_id=heavy,
            tracking_code="HEAVY234",
            kind="supervisory",
            channel="email",
            complainant_ref="c2",
            received_at=m.at(12, 9),
            due_at=calendar.due(m.at(12, 9), deadlines.supervisory.to_standard()),
        ),
    )
    suggestion = str(uuid.uuid4())
    m.record(
        suggestion,
        ComplaintReceived(
            complaint_id=suggestion,
            tracking_code="SARAN234",
            category="suggestion",
            channel="web_form",
            complainant_ref="c3",
            received_at=m.at(13, 9),
        ),
    )
    for name, answer in (("R1", 4), ("R2", 3)):  # two of the four held meetings answered the survey
        survey_id = str(uuid.uuid4())
        m.record(
            survey_id,
            SurveyAnswered(
                survey_id=survey_id,
                request_id=m.ids[name],
                answers={f"U{i}": answer for i in range(1, 10)},
                answered_at=m.at(27, 10),
            ),
        )
    m.record(
        "finding-1",
        EvaluationFindingRecorded(
            finding_id="f1",
            period_kind="month",
            period="2026-01",
            finding="Dua rapat terlambat dibuka",
            follow_up="Uji coba perangkat H-1",
            by="kabid",
            recorded_at=datetime(2026, 2, 2, 10, tzinfo=m.zone),
        ),
    )
    return m.envelopes
