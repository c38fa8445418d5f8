"""Steps of a tenant's procedure (alur prosedur) with their standar waktu."""

from typing import Annotated

from pydantic import AfterValidator, model_validator

from .fields import Identifier, ProfileModel, StandardSpec, Text
from .vocabulary import STEP_PERFORMERS, CountedFrom, DoneWhen, RejectAction, Role


def _performs_steps(role: Role) -> Role:
    if role not in STEP_PERFORMERS:
        performers = ", ".join(sorted(STEP_PERFORMERS))
        raise ValueError(f"{role.value!r} performs no step; a step is performed by one of {performers}")
    return role


class RejectRule(ProfileModel):
    """What happens when a step refuses the request (e.g. approval not signed)."""

    action: RejectAction
    step: Identifier | None = None

    @model_validator(mode="after")
    def _step_only_when_restarting(self) -> "RejectRule":
        restarting = self.action is RejectAction.RESTART_FROM_STEP
        if restarting and self.step is None:
            raise ValueError("restart_from_step needs the 'step' to restart from")
        if not restarting and self.step is not None:
            raise ValueError(f"'step' is only used with restart_from_step, not {self.action.value}")
        return self


class Step(ProfileModel):
    id: Identifier
    name: Text
    role: Annotated[Role, AfterValidator(_performs_steps)]
    performed_by: Text | None = None
    inputs: list[Text] = []
    outputs: list[Text] = []


class ApprovalStep(Step):
    """A step from receipt to decision: verifikasi, disposisi, persetujuan.

    Rejection closes the request unless `on_reject` says otherwise.
    """

    standard: StandardSpec
    on_reject: RejectRule = RejectRule(action=RejectAction.CLOSE)


class DeliveryStep(Step):
    """A step after the decision: preparation, execution, report.

    `standard` is None where the SOP gives the step no time of its own.
    """

    standard: StandardSpec | None = None
    counted_from: CountedFrom = CountedFrom.PREVIOUS_STEP
    done_when: DoneWhen
