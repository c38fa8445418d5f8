"""The one place an internal event becomes a public one; an event not mapped here stays inside."""

from __future__ import annotations

from typing import Any, Callable

from shared.events import contracts as internal
from shared.events.base import Event
from shared.events.envelope import CloudEvent
from shared.events.public import contracts as public
from shared.events.public.contracts import PublicEvent, type_of
from shared.events.public.envelope import PublicEnvelope, public_subject


def _timing(step: internal.StepTiming) -> public.Timing:
    return public.Timing(
        step=step.step,
        started_at=step.started_at,
        due_at=step.due_at,
        finished_at=step.finished_at,
        met_standard=step.met_standard,
    )


def _submitted(e: internal.RequestSubmitted) -> PublicEvent:
    return public.RequestSubmitted(
        request_id=e.request_id,
        agency=e.agency,
        event_name=e.event_name,
        starts_at=e.starts_at,
        ends_at=e.ends_at,
        online_only=e.online_only,
        channel=e.channel,
        submitted_at=e.submitted_at,
    )


# Each entry takes the event its key names; a dict cannot say so to the type checker.
MAPPING: dict[type[Event], Callable[[Any], PublicEvent]] = {
    internal.RequestSubmitted: _submitted,
    internal.RequestWithdrawn: lambda e: public.RequestWithdrawn(request_id=e.request_id, withdrawn_at=e.withdrawn_at),
    internal.Disposed: lambda e: public.RequestDisposed(
        request_id=e.request_id, timing=_timing(e.timing), to_step=e.to_step
    ),
    internal.RequestApproved: lambda e: public.RequestApproved(request_id=e.request_id, timing=_timing(e.timing)),
    internal.RequestRejected: lambda e: public.RequestRejected(request_id=e.request_id, timing=_timing(e.timing)),
    internal.MeetingScheduled: lambda e: public.MeetingScheduled(
        request_id=e.request_id, platform=e.provider, starts_at=e.starts_at, ends_at=e.ends_at
    ),
    internal.EquipmentReady: lambda e: public.EquipmentReady(request_id=e.request_id, ready_at=e.ready_at),
    internal.MeetingHeld: lambda e: public.MeetingHeld(
        request_id=e.request_id, started_at=e.started_at, ended_at=e.ended_at, attendance=e.attendance
    ),
    internal.ComplaintReceived: lambda e: public.ComplaintReceived(
        complaint_id=e.complaint_id, category=e.category, channel=e.channel, received_at=e.received_at
    ),
    internal.ComplaintResolved: lambda e: public.ComplaintResolved(
        complaint_id=e.complaint_id, timing=_timing(e.timing)
    ),
    internal.EvaluationPublished: lambda e: public.EvaluationPublished(
        period_kind=e.period_kind,
        period=e.period,
        published_at=e.published_at,
        requests=e.requests,
        held=e.held,
        steps_within_standard_percent=e.steps_within_standard_percent,
        satisfaction_index=e.satisfaction_index,
        complaints=e.complaints,
    ),
}


def _about(fact: PublicEvent) -> str:
    """The request, complaint or period the fact is about."""
    about = getattr(fact, "request_id", None) or getattr(fact, "complaint_id", None)
    return str(about or f"{getattr(fact, 'period_kind')}-{getattr(fact, 'period')}")


def is_public(event: Event) -> bool:
    return type(event) in MAPPING


def public_copy(envelope: CloudEvent, event: Event) -> tuple[str, PublicEnvelope] | None:
    """The public subject and envelope of the decoded internal `event`, or None when it stays inside."""
    to_public = MAPPING.get(type(event))
    if to_public is None:
        return None
    fact = to_public(event)
    return public_subject(envelope.tenant, type(fact)), PublicEnvelope(
        id=envelope.id,
        source=f"vidcon/{envelope.tenant}",
        type=type_of(type(fact)),
        subject=_about(fact),
        time=envelope.time,
        tenant=envelope.tenant,
        data=fact.model_dump(mode="json"),
    )
