"""Realistic event histories for tests and benchmarks (no personal data, as in production)."""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from datetime import datetime, timedelta, timezone
from typing import Iterator

from shared.events import Event, envelope_for, subject_for
from shared.messaging.positions import publish_headers
from shared.events.contracts import (
    ComplaintReceived,
    ComplaintResolved,
    Disposed,
    MeetingHeld,
    RequestApproved,
    RequestRejected,
    RequestSubmitted,
    StepTiming,
)

START = datetime(2026, 1, 5, 1, 0, tzinfo=timezone.utc)


def _timing(step: str, at: datetime, rng: random.Random) -> StepTiming:
    margin = rng.randint(-120, 240)
    return StepTiming(
        step=step,
        started_at=at - timedelta(hours=1),
        due_at=at + timedelta(minutes=margin),
        finished_at=at,
        met_standard=margin >= 0,
        margin_minutes=margin,
    )


def request_life(tenant: str, at: datetime, rng: random.Random) -> list[Event]:
    """One request's public events: submitted, disposed, then approved and held, or rejected."""
    request_id = str(uuid.UUID(int=rng.getrandbits(128)))
    starts = at + timedelta(days=rng.randint(2, 20))
    events: list[Event] = [
        RequestSubmitted(
            request_id=request_id,
            tracking_code="T" + request_id[:7].upper(),
            agency=rng.choice(["Bappeda", "Dinas Kesehatan", "BPBD", "Sekretariat Daerah"]),
            event_name="Rapat koordinasi",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            online_only=rng.random() < 0.7,
            venue="Aula",
            channel="web_form",
            contact_ref=str(uuid.uuid4()),
            submitted_at=at,
        ),
        Disposed(
            request_id=request_id,
            by="kadis",
            timing=_timing("dispose", at, rng),
            to_step="verify",
            to_role="verifier",
            note="Mohon ditindaklanjuti",
        ),
    ]
    if rng.random() < 0.15:
        return events + [
            RequestRejected(
                request_id=request_id, by="kabid", reason="Jadwal bentrok", timing=_timing("decide", at, rng)
            )
        ]
    return events + [
        RequestApproved(request_id=request_id, by="kabid", timing=_timing("decide", at, rng)),
        MeetingHeld(
            request_id=request_id,
            meeting_id=str(rng.randint(10**9, 10**10)),
            started_at=starts,
            ended_at=starts + timedelta(hours=2),
            attendance=rng.randint(5, 200),
        ),
    ]


def complaint_life(tenant: str, at: datetime, rng: random.Random) -> list[Event]:
    complaint_id = str(uuid.UUID(int=rng.getrandbits(128)))
    return [
        ComplaintReceived(
            complaint_id=complaint_id,
            tracking_code=complaint_id[:8].upper(),
            kind="light",
            channel="whatsapp",
            complainant_ref=str(uuid.uuid4()),
            received_at=at,
            due_at=at + timedelta(days=7),
        ),
        ComplaintResolved(complaint_id=complaint_id, timing=_timing("light", at + timedelta(days=2), rng)),
    ]


class Outboxes:
    """Running outbox positions per source, as the relay of each service sends them.

    They continue across calls, as one long-lived outbox per source does, and start above
    the positions of the tests' real outboxes that share the session's stream."""

    def __init__(self, start: int | None = None):
        self.start = time.time_ns() // 1000 if start is None else start
        self.positions: dict[str, int] = {}

    def next(self, source: str) -> int:
        self.positions[source] = self.positions.get(source, self.start) + 1
        return self.positions[source]


OUTBOXES = Outboxes()


def history(
    tenants: list[str], count: int, seed: int = 1, outboxes: Outboxes = OUTBOXES, start: datetime = START
) -> Iterator[tuple[str, bytes, dict[str, str]]]:
    """(NATS subject, CloudEvent JSON, headers as the relay sends them) for about `count`
    events, oldest first, the first request submitted at `start`."""
    rng, made, at = random.Random(seed), 0, start
    while made < count:
        tenant = rng.choice(tenants)
        life = complaint_life if rng.random() < 0.1 else request_life
        for version, event in enumerate(life(tenant, at, rng), start=1):
            envelope = envelope_for(
                event,
                tenant=tenant,
                subject=f"{event.name}-{made}",
                stream_version=version,
                correlation_id=str(uuid.uuid4()),
            )
            headers = publish_headers(envelope.id, envelope.source, outboxes.next(envelope.source))
            yield subject_for(tenant, event), envelope.to_json(), headers
            made += 1
        at += timedelta(minutes=rng.randint(5, 600))


async def publish_history(js, tenants: list[str], count: int, seed: int = 1, start: datetime = START) -> int:
    """Publish with the relay's pipelining; returns the stream's last sequence."""
    pending, last = [], 0
    for subject, payload, headers in history(tenants, count, seed, start=start):
        pending.append(await js.publish_async(subject, payload, headers=headers))
        if len(pending) >= 2000:
            last = max(ack.seq for ack in await asyncio.gather(*pending))
            pending = []
    if pending:
        last = max(ack.seq for ack in await asyncio.gather(*pending))
    return last
