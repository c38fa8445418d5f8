"""The JetStream streams: the event log every service and subscriber reads, and dead letters."""

from __future__ import annotations

import asyncio
import time

import nats.errors
import structlog
from nats.js import JetStreamContext
from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError, ServiceUnavailableError

EVENTS_STREAM = "VIDCON"
EVENTS_SUBJECTS = ["vidcon.>"]
DEAD_LETTER_STREAM = "VIDCON_DLQ"
DEAD_LETTER_SUBJECTS = ["vidcon_dlq.>"]
DUPLICATE_WINDOW_SECONDS = 120.0

log = structlog.get_logger()


def events_stream_config(replicas: int = 1) -> StreamConfig:
    """History is kept forever and cannot be deleted or purged: ops replay it."""
    return StreamConfig(
        name=EVENTS_STREAM,
        subjects=EVENTS_SUBJECTS,
        retention=RetentionPolicy.LIMITS,
        max_age=0,
        storage=StorageType.FILE,
        discard=DiscardPolicy.OLD,
        num_replicas=replicas,
        duplicate_window=DUPLICATE_WINDOW_SECONDS,
        deny_delete=True,
        deny_purge=True,
    )


def dead_letter_stream_config(replicas: int = 1) -> StreamConfig:
    """Dead letters wait here for an operator; a redriven one is deleted (shared/messaging/
    dead_letters.py), so what is left is what still needs someone. Never purged as a whole."""
    return StreamConfig(
        name=DEAD_LETTER_STREAM,
        subjects=DEAD_LETTER_SUBJECTS,
        retention=RetentionPolicy.LIMITS,
        max_age=0,
        storage=StorageType.FILE,
        num_replicas=replicas,
        deny_delete=False,
        deny_purge=True,
        duplicate_window=DUPLICATE_WINDOW_SECONDS,
    )


PUBLIC_STREAM = "VIDCON_PUBLIC"
PUBLIC_DUPLICATE_WINDOW_SECONDS = 24 * 3600


def public_stream_config(replicas: int = 1) -> StreamConfig:
    """In the agencies' account (EXTERNAL): the public events, all of history, so a new subscriber
    starts from the beginning. Reporting's public feed publishes into it through the service
    import of `vidcon_public.>` and gets its acknowledgement; a day's duplicate window drops the
    copies a redelivery sends again (`Nats-Msg-Id` = event id); `vidcon feed repair` fills gaps."""
    return StreamConfig(
        name=PUBLIC_STREAM,
        subjects=["vidcon_public.>"],
        retention=RetentionPolicy.LIMITS,
        max_age=0,
        storage=StorageType.FILE,
        num_replicas=replicas,
        deny_delete=True,
        duplicate_window=PUBLIC_DUPLICATE_WINDOW_SECONDS,
    )


async def ensure_public_stream(js: JetStreamContext, replicas: int = 1) -> None:
    try:
        await js.stream_info(PUBLIC_STREAM)
    except NotFoundError:
        await js.add_stream(public_stream_config(replicas))


STREAMS_PATIENCE_SECONDS = 60.0


async def ensure_streams(
    js: JetStreamContext, replicas: int | None = None, patience: float = STREAMS_PATIENCE_SECONDS
) -> None:
    """Create the streams when absent, with `replicas` copies (default: STREAM_REPLICAS, 1 unless
    set; 3 on a three-node cluster); an existing stream (e.g. declared by NACK) is kept.

    A cluster that is electing a stream's leader (a node lost, a rolling restart) answers
    nothing for a few seconds: asked again for up to `patience` seconds instead of failing the
    service's start."""
    if replicas is None:
        from shared.config import Settings

        replicas = Settings().stream_replicas
    deadline = time.monotonic() + patience
    while True:
        try:
            return await _ensure_streams(js, replicas)
        except (nats.errors.TimeoutError, nats.errors.NoRespondersError, ServiceUnavailableError) as error:
            if time.monotonic() > deadline:
                raise
            log.warning("streams.not_answering", error=repr(error), retry_in_seconds=1)
            await asyncio.sleep(1.0)


async def _ensure_streams(js: JetStreamContext, replicas: int) -> None:
    for config in (events_stream_config(replicas), dead_letter_stream_config(replicas)):
        try:
            assert config.name is not None, "both stream configs are named"
            existing = (await js.stream_info(config.name)).config
        except NotFoundError:
            await js.add_stream(config)
            continue
        if existing.num_replicas != replicas:
            log.warning(
                "streams.replicas_differ",
                stream=config.name,
                replicas=existing.num_replicas,
                configured=replicas,
                consequence="the existing stream is kept as it is",
            )
        if config.name == DEAD_LETTER_STREAM and existing.deny_delete:
            log.warning(
                "streams.dead_letters_deny_delete",
                stream=DEAD_LETTER_STREAM,
                consequence="redriven dead letters stay in the stream; recreate it (docs/decisions.md)",
            )
