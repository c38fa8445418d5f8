from __future__ import annotations

from pydantic import Field

from shared.events.base import Event, register
from shared.events.contracts.common import StepTiming


class _ApprovalEvent(Event):
    context = "approval"
    request_id: str
    by: str = Field(description="User id of the official who acted (not a name).")
    timing: StepTiming


@register
class RequestVerified(_ApprovalEvent):
    """Verifikasi: the request is complete and valid."""

    name = "request.verified"


@register
class RequestReturned(_ApprovalEvent):
    """Returned to the requester with what is missing; it comes back when amended."""

    name = "request.returned"
    missing_items: list[str]
    note: str = ""


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
    name = "request.approved"
    signed: bool = True


@register
class RequestRejected(_ApprovalEvent):
    name = "request.rejected"
    reason: str
