"""The CloudEvents envelope of a public event, and its subject on the agencies' stream."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from shared.events.public.contracts import PublicEvent, type_of

PUBLIC_ROOT = "vidcon_public"


class PublicEnvelope(BaseModel):
    """CloudEvents 1.0 (structured JSON). `id` is the internal event's id: the same fact always has
    the same id, so a subscriber that sees an id twice has seen one fact twice."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    specversion: Literal["1.0"] = "1.0"
    id: str
    source: str = Field(description="vidcon/<tenant>")
    type: str
    subject: str = Field(description="The request id (or complaint id, or period) the event is about.")
    time: datetime
    datacontenttype: Literal["application/json"] = "application/json"
    tenant: str
    data: dict[str, Any]

    def to_json(self) -> bytes:
        return self.model_dump_json().encode()


def envelope_model(event: type[PublicEvent]) -> type[PublicEnvelope]:
    """The envelope carrying `event`: its `type` fixed, its `data` the public model (for schemas)."""
    fixed_type: Any = Literal[type_of(event)]  # a type made at run time, per event
    return create_model(
        f"Public{event.__name__}V{event.version}",
        __base__=PublicEnvelope,
        __doc__=event.__doc__,
        type=(fixed_type, Field(default=type_of(event))),
        data=(event, ...),
    )


def public_subject(tenant: str, event: type[PublicEvent]) -> str:
    """`vidcon_public.<tenant>.<event with _>`, e.g. vidcon_public.kaltara.request_submitted."""
    return f"{PUBLIC_ROOT}.{tenant}.{event.name.replace('.', '_')}"
