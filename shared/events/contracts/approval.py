from __future__ import annotations

from pydantic import Field

from shared.events.base import Event, register
from shared.events.contracts.common import AwareDatetime, StepTiming


class _ApprovalEvent(Event):
    context = "approval"
    request_id: str
    by: str = Field(description="User id of the official who acted (not a name).")
    on_behalf_of: str | None = Field(
        default=None, description="User id of the official an acting official (Plt.) stands in for."
    )
    timing: StepTiming


@register
class RequestVerified(_ApprovalEvent):
    """Verifikasi: the request is complete and valid."""

    name = "request.verified"
    checked_items: list[str] = Field(default_factory=list, description="Checklist item ids confirmed.")


@register
class RequestReturned(_ApprovalEvent):
    """Returned to the requester with what is missing; it comes back when amended.

    The department's clock stops here and starts again when the amendment arrives.
    """

    name = "request.returned"
    missing_items: list[str]
    note: str = ""
    resumes_at_step: str | None = Field(default=None, description="The step the amended request comes back to.")


@register
class Disposed(_ApprovalEvent):
    """Disposisi: an official hands the request on down the chain, with a note."""

    name = "request.disposed"
    to_step: str
    to_role: str
    addressee: str | None = Field(default=None, description="User id, when one person is named.")
    note: str = ""


@register
class RequestApproved(_ApprovalEvent):
    """Approved (or accepted); where the chain ends with a hand-on, it names the team it goes to."""

    name = "request.approved"
    signed: bool = True
    checked_items: list[str] = Field(default_factory=list)
    to_step: str | None = Field(default=None, description="The first delivery step it is handed to.")
    to_role: str | None = None
    to_step_due_at: AwareDatetime | None = Field(
        default=None, description="When the delivery step it is handed to is due, where it has a standard."
    )
    addressee: str | None = Field(default=None, description="User id, when one person is named.")
    note: str = ""


@register
class RequestRejected(_ApprovalEvent):
    name = "request.rejected"
    reason: str


@register
class RequestResubmitted(Event):
    """The requester's amendment came back after a return; the step's clock starts again."""

    context = "approval"
    name = "request.resubmitted"
    request_id: str
    resubmitted_at: AwareDatetime
    resumes_at_step: str
    amended_fields: list[str] = Field(default_factory=list, description="Names only, never values.")


@register
class RequestReopened(Event):
    """The requester moved the meeting: the request goes through the tenant's steps again."""

    context = "approval"
    name = "request.reopened"
    request_id: str
    reopened_at: AwareDatetime
    resumes_at_step: str
    previous_outcome: str | None = None


@register
class RequestReassigned(Event):
    """The request waiting at a step is given to another official; its clock keeps running."""

    context = "approval"
    name = "request.reassigned"
    request_id: str
    by: str = Field(description="User id of the official who reassigned it.")
    step: str
    from_user: str | None = None
    to_user: str = Field(description="User id of the official it now waits for.")
    reason: str = ""
    reassigned_at: AwareDatetime


@register
class ActingOfficialAppointed(Event):
    """Pelaksana tugas (Plt.): `acting` stands in for `official` in `role` for a period."""

    context = "approval"
    name = "official.acting_appointed"
    official: str = Field(description="User id of the official who is away.")
    acting: str = Field(description="User id of the acting official (Plt.).")
    role: str
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    by: str = Field(description="User id of who appointed.")
    appointed_at: AwareDatetime
