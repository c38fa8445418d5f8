from approval.service_layer.handlers import (
    close_when_withdrawn,
    open_case,
    reopen_when_rescheduled,
    resume_when_amended,
)
from shared.events.contracts import RequestAmended, RequestSubmitted, RequestWithdrawn
from shared.events.contracts.intake import RequestRescheduled
from shared.messaging import Consumer, dispatch


def consumers(runtime) -> list[Consumer]:
    return [
        Consumer(
            "approval",
            "requests",
            "vidcon.*.intake.>",
            dispatch(
                {
                    RequestSubmitted: open_case(runtime.tenant),
                    RequestAmended: resume_when_amended(runtime.tenant),
                    RequestRescheduled: reopen_when_rescheduled(runtime.tenant),
                    RequestWithdrawn: close_when_withdrawn,
                }
            ),
        )
    ]
