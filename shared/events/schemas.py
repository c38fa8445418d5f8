"""JSON Schema for every event (envelope and payload), as published to other agencies."""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import Field, create_model

from shared.events.base import Event, registered_events
from shared.events.envelope import CloudEvent


def envelope_model(event: type[Event]) -> type[CloudEvent]:
    """The CloudEvent carrying `event`: its `type` fixed, its `data` the payload model."""
    fixed_type: Any = Literal[event.type()]  # a type made at run time, per event
    return create_model(
        f"{event.__name__}V{event.version}Event",
        __base__=CloudEvent,
        __doc__=event.__doc__,
        type=(fixed_type, Field(default=event.type())),
        data=(event, ...),
    )


def schema_file_name(event: type[Event]) -> str:
    return f"{event.name}.v{event.version}.json"


def json_schemas() -> dict[str, str]:
    """File name -> JSON Schema text, one per event type and version."""
    return {
        schema_file_name(event): json.dumps(envelope_model(event).model_json_schema(), indent=2, ensure_ascii=False)
        + "\n"
        for event in registered_events()
    }
