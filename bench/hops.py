"""Where the time between an approval click and the meeting link goes, from JetStream's own
timestamps of the events in between (the moment each was stored, i.e. relayed)."""

from __future__ import annotations

import asyncio
import json
import statistics

from nats.js.api import DeliverPolicy

from shared.events import split_type
from shared.messaging import connect_nats

HOPS = (
    ("click", "request.approved", "approval: commit and relay"),
    ("request.approved", "resources.booked", "provisioning: consume, book, relay"),
    ("resources.booked", "meeting.scheduled", "provisioning: call Zoom (worker), relay"),
    ("meeting.scheduled", "link", "intake: consume, status page stream"),
)


async def stored_times(nats_url: str, tenant: str = "kaltara") -> dict[tuple[str, str], float]:
    """(request id, event name) -> when JetStream stored it (seconds since the epoch)."""
    nc = await connect_nats(nats_url, name="bench-hops")
    stored, done = {}, asyncio.Event()

    async def on_message(msg) -> None:
        envelope = json.loads(msg.data)
        request_id = envelope.get("data", {}).get("request_id")
        if request_id:
            stored[request_id, split_type(envelope["type"])[0]] = msg.metadata.timestamp.timestamp()
        if msg.metadata.num_pending == 0:
            done.set()

    sub = await nc.jetstream().subscribe(
        f"vidcon.{tenant}.>", ordered_consumer=True, deliver_policy=DeliverPolicy.ALL, cb=on_message
    )
    await asyncio.wait_for(done.wait(), 60)
    await sub.unsubscribe()
    await nc.close()
    return stored


def report_hops(done: dict[str, list], stored: dict[tuple[str, str], float]) -> None:
    print(f"\n{'median of each hop, ms':<48}" + "".join(f"{label:>10}" for label in done))
    for start, end, what in HOPS:
        cells = [
            statistics.median(_hop(workflow, start, end, stored) for workflow in workflows)
            for workflows in done.values()
        ]
        print(f"{what:<48}" + "".join(f"{1000 * cell:>10.0f}" for cell in cells))


def _hop(workflow, start: str, end: str, stored: dict[tuple[str, str], float]) -> float:
    moments = {"click": workflow.clicked_at, "link": workflow.page.linked_wall}
    at = {name: moments.get(name) or stored.get((workflow.request_id, name), float("nan")) for name in (start, end)}
    return at[end] - at[start]
