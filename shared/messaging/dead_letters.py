"""The dead-letter stream: events a consumer cannot apply, parked with why, and the way back.

A parked event keeps its bytes as they arrived. Its headers say which consumer parked it,
the error and its traceback, after how many deliveries, and the original subject, stream
sequence and headers, so that it can be published again as it was.

Redriving (after a fix) publishes it to its original subject with its original headers and
then removes it from the dead-letter stream. Every consumer of that subject receives it again,
but only the one that parked it (`Vidcon-Redriven-For`) applies it, at most once (its inbox
by event id): the others settled the event when it first came by, and a second redrive of
the same event changes nothing. Its `Nats-Msg-Id` is new: the event id would be dropped by
JetStream as a duplicate for two minutes after the first publish.

The stream is a dead-letter *queue*: what is in it waits for an operator, so "not empty" is
what the alert watches (docs/decisions.md).
"""

from __future__ import annotations

import json
import traceback
from dataclasses import dataclass
from datetime import datetime
from typing import Any, AsyncIterator

import structlog
from nats.js import JetStreamContext
from nats.js.api import RawStreamMsg
from nats.js.errors import APIError, NotFoundError

from shared.events import CloudEvent
from shared.messaging.streams import DEAD_LETTER_STREAM, EVENTS_STREAM

log = structlog.get_logger()

ROOT = "vidcon_dlq"
CONSUMER, ERROR, ATTEMPTS, TRACEBACK = "Vidcon-Consumer", "Vidcon-Error", "Vidcon-Attempts", "Vidcon-Traceback"
SUBJECT, SEQUENCE, HEADERS = "Vidcon-Subject", "Vidcon-Stream-Sequence", "Vidcon-Headers"
REDRIVEN_FROM, REDRIVEN_FOR = "Vidcon-Redriven-From", "Vidcon-Redriven-For"
PUBLISH_TIMEOUT = 5.0


def dead_letter_subject(service: str, name: str) -> str:
    return f"{ROOT}.{service}.{name}"


@dataclass(frozen=True)
class Arrival:
    """An event as a consumer received it: what a redrive must reproduce."""

    data: bytes
    subject: str
    headers: dict[str, str]
    stream_sequence: int


async def park(
    js: JetStreamContext, service: str, name: str, arrival: Arrival, error: BaseException, attempts: int
) -> None:
    """Store `arrival` in the dead-letter stream; returns once JetStream has acknowledged it."""
    durable = f"{service}-{name}"
    await js.publish(
        dead_letter_subject(service, name),
        arrival.data,
        stream=DEAD_LETTER_STREAM,
        timeout=PUBLISH_TIMEOUT,
        headers={
            # one dead letter per delivery, even when parking it is tried again
            "Nats-Msg-Id": f"{durable}:{arrival.stream_sequence}",
            CONSUMER: durable,
            ERROR: _one_line(repr(error), 1000),
            ATTEMPTS: str(attempts),
            TRACEBACK: _one_line("".join(traceback.format_exception(error)), 4000, keep_end=True),
            SUBJECT: arrival.subject,
            SEQUENCE: str(arrival.stream_sequence),
            HEADERS: json.dumps(arrival.headers),
        },
    )


def _one_line(text: str, limit: int, keep_end: bool = False) -> str:
    """A header value: one line of ASCII (NATS headers are neither multi-line nor UTF-8 safe)."""
    flat = text.encode("ascii", "backslashreplace").decode().replace("\r", "").replace("\n", " | ")
    return flat[-limit:] if keep_end else flat[:limit]


@dataclass(frozen=True)
class DeadLetter:
    id: int
    """Its sequence in the dead-letter stream."""
    parked_at: datetime | None
    consumer: str
    error: str
    attempts: int
    traceback: str
    subject: str | None
    """Where it was published; None for a letter parked before subjects were kept."""
    headers: dict[str, str]
    data: bytes

    @classmethod
    def from_stored(cls, stored: RawStreamMsg) -> "DeadLetter":
        headers = stored.headers or {}
        assert stored.seq is not None, "a message read from a stream has its sequence"
        return cls(
            id=stored.seq,
            parked_at=stored.time,
            consumer=headers.get(CONSUMER, ""),
            error=headers.get(ERROR, ""),
            attempts=int(headers.get(ATTEMPTS, 0)),
            traceback=headers.get(TRACEBACK, "").replace(" | ", "\n"),
            subject=headers.get(SUBJECT),
            headers=json.loads(headers.get(HEADERS, "{}")),
            data=stored.data or b"",
        )

    def event(self) -> CloudEvent | None:
        try:
            return CloudEvent.from_json(self.data)
        except ValueError:
            return None

    def summary(self) -> dict[str, Any]:
        event = self.event()
        return {
            "id": self.id,
            "parked_at": self.parked_at.isoformat() if self.parked_at else None,
            "consumer": self.consumer,
            "attempts": self.attempts,
            "error": self.error,
            "subject": self.subject,
            "event_id": event.id if event else None,
            "type": event.type if event else None,
            "tenant": event.tenant if event else None,
        }

    def details(self) -> dict[str, Any]:
        event = self.event()
        return {
            **self.summary(),
            "headers": self.headers,
            "traceback": self.traceback,
            "event": event.model_dump(mode="json") if event else self.data.decode("utf-8", "replace"),
        }


class NoSuchDeadLetter(LookupError):
    def __init__(self, letter_id: int):
        super().__init__(f"no dead letter {letter_id} in {DEAD_LETTER_STREAM}")


class NotRedrivable(Exception):
    pass


async def dead_letters(js: JetStreamContext, consumer: str | None = None) -> AsyncIterator[DeadLetter]:
    """Every dead letter in stream order, or only those `consumer` (its durable name) parked."""
    sequence = 1
    while True:
        try:
            stored = await js.get_msg(DEAD_LETTER_STREAM, seq=sequence, next=True, subject=f"{ROOT}.>")
        except NotFoundError:
            return
        letter = DeadLetter.from_stored(stored)
        if consumer is None or letter.consumer == consumer:
            yield letter
        sequence = letter.id + 1


async def dead_letter(js: JetStreamContext, letter_id: int) -> DeadLetter:
    try:
        return DeadLetter.from_stored(await js.get_msg(DEAD_LETTER_STREAM, seq=letter_id))
    except NotFoundError:
        raise NoSuchDeadLetter(letter_id) from None


async def redrive(js: JetStreamContext, letter: DeadLetter) -> bool:
    """Publish `letter` again where it came from, then take it out of the dead-letter stream.

    False when it could not be taken out (a stream created with deny-delete): it was
    redriven, but stays listed.
    """
    if letter.subject is None:
        raise NotRedrivable(f"dead letter {letter.id} was parked without its subject; publish it by hand")
    headers = {**letter.headers, "Nats-Msg-Id": f"{DEAD_LETTER_STREAM}:{letter.id}", REDRIVEN_FROM: str(letter.id)}
    if letter.consumer:
        headers[REDRIVEN_FOR] = letter.consumer
    await js.publish(letter.subject, letter.data, headers=headers, stream=EVENTS_STREAM, timeout=PUBLISH_TIMEOUT)
    log.info("dead_letter.redriven", dead_letter=letter.id, consumer=letter.consumer, subject=letter.subject)
    try:
        await js.delete_msg(DEAD_LETTER_STREAM, letter.id)
    except APIError as refused:
        log.warning("dead_letter.not_removed", dead_letter=letter.id, error=repr(refused))
        return False
    return True


async def parked_counts(js: JetStreamContext, service: str) -> dict[str, int]:
    """How many dead letters each of `service`'s consumers left, by durable name (none: {})."""
    info = await js.stream_info(DEAD_LETTER_STREAM, subjects_filter=f"{ROOT}.{service}.>")
    return {f"{service}-{subject.split('.', 2)[2]}": count for subject, count in (info.state.subjects or {}).items()}
