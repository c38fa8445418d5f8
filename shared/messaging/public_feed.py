"""The agencies' side of the public feed: follow it (the example subscriber), and repair it.

`follow` is what an agency runs: one durable consumer, named as its user, filtered to a tenant,
from the beginning of history; each event is printed, then acknowledged, so a restart resumes
after the last one printed. `missing_copies` compares the department's log with the public
stream by event id, and `repair` publishes what is missing (at the end of the feed: a
repaired event arrives later than its neighbours, with its own `time`).
"""

from __future__ import annotations

from typing import Any
import asyncio
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from nats.errors import TimeoutError as FetchTimeout
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError

from shared.clock import utc_now
from shared.events import CloudEvent, decode
from shared.events.public import PUBLIC_ROOT, PublicEnvelope, public_copy
from shared.messaging.streams import EVENTS_STREAM, PUBLIC_STREAM

FETCH_BATCH = 100
PUBLISH_TIMEOUT = 5.0


def public_subjects(tenant: str | None) -> str:
    return f"{PUBLIC_ROOT}.{tenant or '*'}.>"


async def follow(
    js: JetStreamContext, tenant: str | None, name: str, show: Callable[[PublicEnvelope], None], stop: asyncio.Event
) -> int:
    """Print the tenant's (None: every tenant's) public events as they arrive until `stop`; returns
    how many were shown."""
    await refuse_other_filter(js, name, public_subjects(tenant))
    config = ConsumerConfig(
        name=name,
        durable_name=name,
        filter_subject=public_subjects(tenant),
        deliver_policy=DeliverPolicy.ALL,
        ack_policy=AckPolicy.EXPLICIT,
        max_ack_pending=1000,
    )
    subscription = await js.pull_subscribe(public_subjects(tenant), durable=name, stream=PUBLIC_STREAM, config=config)
    shown = 0
    while not stop.is_set():
        try:
            batch = await subscription.fetch(FETCH_BATCH, timeout=1)
        except FetchTimeout:
            continue
        for message in batch:
            show(PublicEnvelope.model_validate_json(message.data))
            await message.ack_sync()
            shown += 1
            if stop.is_set():
                break
    return shown


class OtherFilter(Exception):
    pass


async def refuse_other_filter(js: JetStreamContext, name: str, subjects: str) -> None:
    """A durable consumer of that name that follows other subjects would be bound as it is."""
    try:
        existing = (await js.consumer_info(PUBLIC_STREAM, name)).config.filter_subject
    except NotFoundError:
        return
    if existing != subjects:
        raise OtherFilter(f"the consumer {name!r} follows {existing}, not {subjects}; give another --name")


async def every_message(js: JetStreamContext, stream: str, subject: str) -> AsyncIterator[Any]:
    """Every message of `stream` on `subject`, oldest first, read once by an ephemeral consumer."""
    info = await js.stream_info(stream, subjects_filter=subject)
    remaining = sum((info.state.subjects or {}).values()) if info.state.subjects is not None else info.state.messages
    if not remaining:
        return
    subscription = await js.pull_subscribe(
        subject,
        stream=stream,
        config=ConsumerConfig(deliver_policy=DeliverPolicy.ALL, ack_policy=AckPolicy.NONE, inactive_threshold=60),
    )
    try:
        while remaining > 0:
            try:
                batch = await subscription.fetch(min(FETCH_BATCH, remaining), timeout=2)
            except FetchTimeout:
                return
            for message in batch:
                yield message
            remaining -= len(batch)
    finally:
        await subscription.unsubscribe()


@dataclass(frozen=True)
class Missing:
    subject: str
    envelope: PublicEnvelope


async def missing_copies(
    internal: JetStreamContext, agencies: JetStreamContext, tenant: str | None = None
) -> list[Missing]:
    """The public copies the department's log calls for and the agencies' stream lacks, in log order."""
    present = {
        json.loads(message.data)["id"]
        async for message in every_message(agencies, PUBLIC_STREAM, public_subjects(tenant))
    }
    missing = []
    async for message in every_message(internal, EVENTS_STREAM, f"vidcon.{tenant or '*'}.>"):
        try:
            envelope = CloudEvent.from_json(message.data)
            copy = public_copy(envelope, decode(envelope))
        except (ValueError, LookupError):  # a poison event: parked by the consumers, never public
            continue
        if copy and envelope.id not in present:
            missing.append(Missing(*copy))
    return missing


async def publish_copy(
    js: JetStreamContext, subject: str, envelope: PublicEnvelope, message_id: str | None = None
) -> None:
    """Into VIDCON_PUBLIC (through the department's service import), awaiting its acknowledgement;
    the message id (the event's own by default) lets the stream drop a copy sent again."""
    await js.publish(
        subject,
        envelope.to_json(),
        stream=PUBLIC_STREAM,
        timeout=PUBLISH_TIMEOUT,
        headers={"Nats-Msg-Id": message_id or envelope.id},
    )


async def repair(internal: JetStreamContext, missing: list[Missing]) -> int:
    """Publish the missing copies through the department's import of the agencies' stream.

    A copy lost inside the stream's duplicate window would be dropped as a duplicate under its
    own id, so a repaired copy gets a message id of its own; the event keeps its id."""
    repaired_at = utc_now().isoformat()
    for gap in missing:
        await publish_copy(internal, gap.subject, gap.envelope, f"{gap.envelope.id}:repaired:{repaired_at}")
    return len(missing)
