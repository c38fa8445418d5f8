"""The CloudEvents 1.0 envelope (structured JSON mode) every Vidcon event travels in."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from shared.clock import utc_now

EVENT_TYPE_PREFIX = "id.go.vidcon"

MAX_EVENT_BYTES = 64 * 1024
"""The largest envelope, as JSON, that may be appended or applied. Events carry facts and
references, never documents; the largest recorded so far are a few kilobytes."""


def new_event_id() -> str:
    return str(uuid.uuid4())


class CloudEvent(BaseModel):
    """One event as published: the CloudEvents attributes plus our extensions.

    Extensions (lower-case, as CloudEvents requires): `tenant`, `correlationid`,
    `causationid`, `streamversion`.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    specversion: str = "1.0"
    id: str = Field(default_factory=new_event_id)
    source: str
    type: str
    subject: str
    time: datetime = Field(default_factory=utc_now)
    datacontenttype: str = "application/json"
    tenant: str
    correlationid: str
    causationid: str
    streamversion: int
    data: dict[str, Any]

    @property
    def name_and_version(self) -> tuple[str, int]:
        return split_type(self.type)

    def to_json(self) -> bytes:
        return self.model_dump_json().encode()

    @classmethod
    def from_json(cls, raw: bytes | str) -> "CloudEvent":
        return cls.model_validate_json(raw)


class EventTooLarge(Exception):
    def __init__(self, size: int, what: str = "event"):
        self.size = size
        super().__init__(
            f"{what} is {size} bytes, over the limit of {MAX_EVENT_BYTES} bytes;"
            " keep large content out of events (store it and put a reference in the event)"
        )


def refuse_oversize(raw: bytes | str, what: str = "event") -> None:
    if len(raw) > MAX_EVENT_BYTES:
        raise EventTooLarge(len(raw), what)


def event_type(name: str, version: int) -> str:
    """`request.submitted`, 1 -> `id.go.vidcon.request.submitted.v1`."""
    return f"{EVENT_TYPE_PREFIX}.{name}.v{version}"


def split_type(type_: str) -> tuple[str, int]:
    body, _, version = type_.rpartition(".v")
    if not body.startswith(EVENT_TYPE_PREFIX + ".") or not version.isdigit():
        raise ValueError(f"not a Vidcon event type: {type_!r}")
    return body[len(EVENT_TYPE_PREFIX) + 1 :], int(version)
