"""How a replay decodes an event: the whole envelope, or only the fields a projection reads.

Decoding the whole envelope makes a Python object of every value in it, most of which a
projection never reads; it was the largest part of a replay's own work. msgspec decodes
into a TypedDict that names the fields to keep and passes over the others without making
them, in about half the time. What it gives is the envelope's own dict, only smaller, so
`changes` reads it as it reads a whole one. It decodes an event whole where the smaller
dict could read differently: an older version (its upcaster may read any field) and a
value not shaped as the fields say (an object named as one that is not).
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, TypedDict, cast

import msgspec
import orjson

from shared.events.base import type_info

Fields = Mapping[str, "Fields | None"]
"""Field names of an object, each with the fields read of its value (an object), or None
for all of the value."""

READER_FIELDS: Fields = {"id": None, "source": None, "type": None}
"""What the replay itself reads of every envelope: the outbox and the id that deduplicate it,
the type that tells whether it is the newest version."""


def decoder(fields: Fields | None) -> Callable[[bytes], dict[str, Any]]:
    """Decodes an envelope to a dict with `fields` (and the replay's own), or whole for None."""
    if fields is None:
        return orjson.loads
    decode_fields: Callable[[bytes], dict[str, Any]] = msgspec.json.Decoder(
        _typed_dict("Envelope", {**READER_FIELDS, **fields})
    ).decode

    def decode(raw: bytes) -> dict[str, Any]:
        try:
            envelope = decode_fields(raw)
        except msgspec.ValidationError:
            return cast("dict[str, Any]", orjson.loads(raw))
        return cast("dict[str, Any]", envelope if _newest(envelope.get("type")) else orjson.loads(raw))

    return decode


def _typed_dict(name: str, fields: Fields) -> type:
    built_at_run_time: Any = TypedDict  # from the fields a projection names: no static type to check
    typed: type = built_at_run_time(
        name,
        {field: Any if inner is None else _typed_dict(f"{name}_{field}", inner) for field, inner in fields.items()},
        total=False,
    )
    return typed


def _newest(type_: Any) -> bool:
    try:
        return type_info(type_)[2]
    except (TypeError, ValueError):  # not a Vidcon type: decoded whole, as before there were fields
        return False
