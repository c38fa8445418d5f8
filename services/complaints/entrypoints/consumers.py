from complaints.service_layer.request_codes import remember_request_code
from complaints.service_layer.surveys import invite_after_meeting
from shared.messaging import Consumer


def consumers(runtime) -> list[Consumer]:
    return [
        Consumer("complaints", "surveys", "vidcon.*.provisioning.meeting_held", invite_after_meeting),
        Consumer("complaints", "request-codes", "vidcon.*.intake.request_submitted", remember_request_code),
    ]
