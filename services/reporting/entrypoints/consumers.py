from reporting.adapters.projections import projections
from reporting.entrypoints.public_feed import public_feed
from reporting.service_layer.handlers import keep_live
from shared.messaging import Consumer


def consumers(runtime) -> list[Consumer]:
    return [
        *(
            Consumer("reporting", f"projection-{name}", "vidcon.>", keep_live(projection))
            for name, projection in projections(runtime.tenants).items()
        ),
        public_feed(runtime),
    ]
