from complaints.service_layer.surveys import invite_after_meeting
from shared.messaging import Consumer


def consumers(runtime) -> list[Consumer]:
    return [Consumer("complaints", "surveys", "vidcon.*.provisioning.meeting_held", invite_after_meeting)]
