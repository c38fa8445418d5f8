from approval.service_layer.handlers import open_case
from shared.events.contracts import RequestSubmitted
from shared.messaging import Consumer, dispatch


def consumers(runtime) -> list[Consumer]:
    return [Consumer("approval", "requests", "vidcon.*.intake.>",
                     dispatch({RequestSubmitted: open_case(runtime.tenant)}))]
