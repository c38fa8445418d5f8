from provisioning.service_layer.handlers import (
    remember_request,
    reopen_request,
    reschedule_request,
    schedule_approved,
    withdraw_request,
)
from shared.events.contracts import RequestApproved, RequestSubmitted
from shared.events.contracts.approval import RequestReopened
from shared.events.contracts.intake import RequestRescheduled, RequestWithdrawn
from shared.messaging import Consumer, dispatch


def consumers(runtime) -> list[Consumer]:
    from provisioning.bootstrap import provisioning_context

    ctx = provisioning_context(runtime)
    return [
        Consumer(
            "provisioning",
            "requests",
            "vidcon.>",
            dispatch(
                {
                    RequestSubmitted: remember_request,
                    RequestApproved: schedule_approved(ctx),
                    RequestWithdrawn: withdraw_request(ctx),
                    RequestRescheduled: reschedule_request(ctx),
                    RequestReopened: reopen_request,
                }
            ),
        )
    ]
