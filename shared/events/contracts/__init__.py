"""The internal event contracts: one pydantic model per event type and version (what other
agencies receive are the public contracts of shared/events/public, mapped from these).

Payloads carry no personal data: a contact person or complainant is a reference
(`*_ref`) into the owning service's personal-data store, never a name, phone or email.
"""

from shared.events.contracts.approval import (
    Disposed,
    RequestApproved,
    RequestRejected,
    RequestReturned,
    RequestVerified,
)
from shared.events.contracts.common import StepTiming
from shared.events.contracts.complaints import (
    ComplaintAnswered,
    ComplaintAssigned,
    ComplaintClassified,
    ComplaintReceived,
    ComplaintReopened,
    ComplaintResolved,
)
from shared.events.contracts.intake import (
    RequestAmended,
    RequestRescheduled,
    RequestSubmitted,
    RequestWithdrawn,
)
from shared.events.contracts.provisioning import EquipmentReady, MeetingHeld, MeetingScheduled
from shared.events.contracts.reporting import EvaluationFindingRecorded, EvaluationPublished
from shared.events.contracts.satisfaction import SurveyAnswered, SurveyInvited

__all__ = [
    "ComplaintAnswered",
    "ComplaintAssigned",
    "ComplaintClassified",
    "ComplaintReceived",
    "ComplaintReopened",
    "ComplaintResolved",
    "Disposed",
    "EquipmentReady",
    "EvaluationFindingRecorded",
    "EvaluationPublished",
    "MeetingHeld",
    "MeetingScheduled",
    "RequestAmended",
    "RequestApproved",
    "RequestRejected",
    "RequestRescheduled",
    "RequestReturned",
    "RequestSubmitted",
    "RequestVerified",
    "RequestWithdrawn",
    "StepTiming",
    "SurveyAnswered",
    "SurveyInvited",
]
