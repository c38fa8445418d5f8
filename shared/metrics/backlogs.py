"""What waits in every service: events its relay has not published, events its consumers have
not taken, and the dead letters they left."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nats.js import JetStreamContext
from prometheus_client.core import GaugeMetricFamily, Metric

from shared.eventstore import outbox_lag
from shared.messaging.dead_letters import parked_counts
from shared.messaging.streams import EVENTS_STREAM

if TYPE_CHECKING:
    from shared.runtime import Runtime


def _jetstream(runtime: Runtime) -> JetStreamContext:
    assert runtime.nc is not None, "read only once the service has started"
    return runtime.nc.jetstream(timeout=2)


async def relay_lag(runtime: Runtime) -> list[Metric]:
    assert runtime.pool is not None, "read only once the service has started"
    async with runtime.pool.acquire(timeout=2) as conn:
        lag = await outbox_lag(conn)
    return [
        GaugeMetricFamily(
            "vidcon_relay_unpublished_events",
            "Events committed to the outbox and not yet published to JetStream",
            value=lag.unpublished,
        ),
        GaugeMetricFamily(
            "vidcon_relay_oldest_unpublished_seconds",
            "Age of the oldest event not yet published (0: none)",
            value=lag.oldest_seconds,
        ),
    ]


async def consumer_lag(runtime: Runtime) -> list[Metric]:
    pending = GaugeMetricFamily(
        "vidcon_consumer_pending_messages",
        "Events in the stream the durable consumer has not yet received",
        labels=["consumer"],
    )
    in_flight = GaugeMetricFamily(
        "vidcon_consumer_ack_pending_messages",
        "Events the durable consumer received and has not yet settled",
        labels=["consumer"],
    )
    js = _jetstream(runtime)
    for consumer in runtime.consumers:
        info = await js.consumer_info(EVENTS_STREAM, consumer.durable)
        pending.add_metric([consumer.durable], info.num_pending or 0)
        in_flight.add_metric([consumer.durable], info.num_ack_pending or 0)
    return [pending, in_flight]


async def dead_letters(runtime: Runtime) -> list[Metric]:
    parked = await parked_counts(_jetstream(runtime), runtime.spec.name)
    depth = GaugeMetricFamily(
        "vidcon_dead_letters",
        "Dead letters waiting for an operator, by the consumer that parked them",
        labels=["consumer"],
    )
    for consumer in {c.durable for c in runtime.consumers} | set(parked):
        depth.add_metric([consumer], parked.get(consumer, 0))
    return [depth]


BACKLOGS = [relay_lag, consumer_lag, dead_letters]
