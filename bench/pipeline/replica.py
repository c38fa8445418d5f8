"""One replica, in a process of its own: provisioning's `requests` consumer as the service wires
it (or split into per-tenant durables), or a raw nats-py pull consumer that only acks.

The parent starts it with a JSON plan, waits for its ready file, writes `go` on its stdin (the
replica then starts pulling) and `stop` once the stream is consumed; the replica writes its CPU
time between the two into its result file. Its logs go where a service's go, to stdout.
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
from dataclasses import replace
from pathlib import Path

from faststream import AckPolicy
from faststream.nats import NatsBroker
from nats.js.api import AckPolicy as JsAckPolicy
from nats.js.api import ConsumerConfig, DeliverPolicy
from nats.js.errors import FetchTimeoutError

from shared.config import Settings
from shared.db import create_pool
from shared.logging import configure_logging
from shared.messaging import attach, connect_nats
from shared.messaging.streams import EVENTS_STREAM
from shared.runtime import Runtime, build_broker


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def next_line() -> str:
    return (await asyncio.to_thread(sys.stdin.readline)).strip()


async def service_broker(plan: dict) -> tuple[NatsBroker, Runtime]:
    """The broker as the service builds it; with `partitions`, one durable per tenant given."""
    from provisioning.bootstrap import SPEC

    runtime = Runtime(SPEC, Settings(nats_url=plan["nats"], database_url=plan["database"]))
    configure_logging(SPEC.name, runtime.settings.log_level)
    runtime.pool = await create_pool(plan["database"], plan["schema"])
    if not plan.get("partitions"):
        return build_broker(runtime), runtime
    broker = NatsBroker(plan["nats"], max_reconnect_attempts=-1, logger=None, ack_policy=AckPolicy.NACK_ON_ERROR)
    [consumer] = SPEC.consumers(runtime)
    for tenant in plan["partitions"]:
        attach(broker, runtime, replace(consumer, name=f"{consumer.name}-{tenant}", subject=f"vidcon.{tenant}.>"))
    return broker, runtime


async def run_service(plan: dict) -> float:
    broker, runtime = await service_broker(plan)
    await broker.connect()
    Path(plan["ready"]).touch()
    await next_line()
    started = cpu_seconds()
    await broker.start()
    await next_line()
    used = cpu_seconds() - started
    await broker.stop()
    await runtime.pool.close()
    return used


async def raw_acks(js, durable: str, in_flight: int) -> None:
    """Only acks: `in_flight` 1 is the service's one event at a time, more is the stream's ceiling."""
    config = ConsumerConfig(
        durable_name=durable,
        ack_policy=JsAckPolicy.EXPLICIT,
        deliver_policy=DeliverPolicy.ALL,
        max_ack_pending=in_flight,
    )
    subscription = await js.pull_subscribe("vidcon.>", durable=durable, stream=EVENTS_STREAM, config=config)
    while True:
        try:
            messages = await subscription.fetch(in_flight, timeout=1.0)
        except FetchTimeoutError:
            continue
        for message in messages:
            await message.ack()


async def run_raw(plan: dict) -> float:
    nc = await connect_nats(plan["nats"], name="bench-raw")
    Path(plan["ready"]).touch()
    await next_line()
    started = cpu_seconds()
    pulling = asyncio.create_task(raw_acks(nc.jetstream(), plan["durable"], plan["in_flight"]))
    await next_line()
    used = cpu_seconds() - started
    pulling.cancel()
    await asyncio.gather(pulling, return_exceptions=True)
    await nc.close()
    return used


def main(plan: dict) -> None:
    used = asyncio.run(run_raw(plan) if plan["kind"] == "raw" else run_service(plan))
    Path(plan["result"]).write_text(json.dumps({"cpu_seconds": used}))


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
