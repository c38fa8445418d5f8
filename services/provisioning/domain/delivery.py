"""Alur penyediaan: which delivery steps of the tenant's SOP a milestone finishes, and how they went."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from shared.calendar import WorkingCalendar
from shared.events.contracts.common import StepTiming
from shared.tenants import CountedFrom, DeliveryStep, DoneWhen, StandardSpec


@dataclass(frozen=True)
class DeliveryPlan:
    """The tenant's delivery steps, its calendar, and the instants a step may count from."""

    steps: list[DeliveryStep]
    calendar: WorkingCalendar
    approved_at: datetime | None
    event_start: datetime

    def finished_by(self, milestone: DoneWhen, at: datetime, finished: dict[str, datetime]) -> list[StepTiming]:
        """The timing of each step with a standard that `milestone` finishes for the first time."""
        finished, timings = dict(finished), []
        for index, step in enumerate(self.steps):
            started = self._started(index, finished)
            if step.done_when is milestone and step.standard and step.id not in finished and started:
                timings.append(self._timing(step.id, step.standard, started, at))
                finished[step.id] = at
        return timings

    def _started(self, index: int, finished: dict[str, datetime]) -> datetime | None:
        """At the event's start, or where the nearest earlier step with a recorded end ended
        (a step without a standard records none), or at the approval for the first step."""
        if self.steps[index].counted_from is CountedFrom.EVENT_START:
            return self.event_start
        ends = [finished[step.id] for step in self.steps[:index] if step.id in finished]
        return ends[-1] if ends else self.approved_at

    def _timing(self, step_id: str, standard: StandardSpec, started: datetime, finished: datetime) -> StepTiming:
        """A step finished before it could start (reported before the event began) took no time."""
        assessment = self.calendar.assess(min(started, finished), finished, standard.to_standard())
        return StepTiming.of(step_id, assessment)
