"""Where an event stands in its source's outbox, carried beside it on the stream.

JetStream's stream sequence changes when the stream is rebuilt from the outboxes; an
outbox position never does. So the relay sends `Vidcon-Position: <outbox>:<position>` (the
outbox is the service's schema), and projections keep a checkpoint per outbox. Naming the
outbox, not only the envelope's `source`, keeps two outboxes of one source apart (a test run
has many schemas per service). An event without the header (history from before it) falls
back to its stream sequence under the pseudo-source `stream`.
"""

from __future__ import annotations

POSITION_HEADER = "Vidcon-Position"
STREAM_SOURCE = "stream"

Position = tuple[str, int]
"""(outbox, position in that outbox); `stream` and the stream sequence without the header."""


def publish_headers(event_id: str, outbox: str, position: int) -> dict[str, str]:
    """What every event is published with: dedupe by id, checkpoint by outbox position."""
    return {"Nats-Msg-Id": event_id, POSITION_HEADER: f"{outbox}:{position}"}


def position_of(headers: dict[str, str] | None, source: str, stream_sequence: int) -> Position:
    outbox_position = headers.get(POSITION_HEADER) if headers else None
    if outbox_position is None:
        return STREAM_SOURCE, stream_sequence
    outbox, _, position = outbox_position.rpartition(":")
    return outbox or source, int(position)


_POSITION_LINE = f"\r\n{POSITION_HEADER}:".encode()
_outboxes: dict[bytes, str] = {}
"""Outbox names as read off the wire, decoded once: a replay meets the same few millions of times."""


def position_in(raw_headers: bytes | None, source: str, stream_sequence: int) -> Position:
    """`position_of` from headers as they come on the wire (`NATS/1.0\r\nName: value\r\n...`),
    without parsing the others: a replay reads millions."""
    at = raw_headers.find(_POSITION_LINE) if raw_headers else -1
    if raw_headers is None or at < 0:
        return STREAM_SOURCE, stream_sequence
    start = at + len(_POSITION_LINE)
    outbox, _, position = raw_headers[start : raw_headers.index(b"\r", start)].rpartition(b":")
    name = _outboxes.get(outbox)
    if name is None:
        name = _outboxes.setdefault(outbox, outbox.decode().strip())
    return name or source, int(position)
