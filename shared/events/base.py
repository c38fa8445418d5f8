"""Base class and registry of the event payloads (the `data` of a CloudEvent)."""

from __future__ import annotations

import functools
from typing import Any, Callable, ClassVar

from pydantic import BaseModel, ConfigDict

from shared.events.envelope import event_type, split_type

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]


class Event(BaseModel):
    """A fact, past tense, frozen. `name` and `version` make the CloudEvents `type`.

    `context` is the bounded context that records it (`intake`, `approval`, ...): it is the
    third token of the NATS subject, so a service may publish only its own context's events.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: ClassVar[str]
    version: ClassVar[int] = 1
    context: ClassVar[str]

    @classmethod
    def type(cls) -> str:
        return event_type(cls.name, cls.version)

    @classmethod
    def subject_token(cls) -> str:
        """`request.submitted` -> `request_submitted`: one NATS subject token."""
        return cls.name.replace(".", "_")


_REGISTRY: dict[tuple[str, int], type[Event]] = {}
_UPCASTERS: dict[tuple[str, int], Upcaster] = {}
_LATEST: dict[str, int] = {}


def register(cls: type[Event]) -> type[Event]:
    key = (cls.name, cls.version)
    if key in _REGISTRY and _REGISTRY[key] is not cls:
        raise ValueError(f"event {cls.name} v{cls.version} registered twice")
    _REGISTRY[key] = cls
    _LATEST[cls.name] = max(_LATEST.get(cls.name, 0), cls.version)
    return cls


def upcaster(name: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
    """Register a function that turns `name` v`from_version` data into v`from_version+1` data."""

    def decorate(fn: Upcaster) -> Upcaster:
        _UPCASTERS[(name, from_version)] = fn
        return fn

    return decorate


def latest_version(name: str) -> int:
    if name not in _LATEST:
        raise KeyError(f"unknown event {name!r}")
    return _LATEST[name]


def model_for(name: str, version: int) -> type[Event]:
    return _REGISTRY[(name, version)]


def registered_events() -> list[type[Event]]:
    return sorted(_REGISTRY.values(), key=lambda c: (c.name, c.version))


@functools.lru_cache(maxsize=512)
def type_info(type_: str) -> tuple[str, int, bool]:
    """(name, version, whether it is the newest version) of a CloudEvents `type`, looked up once."""
    name, version = split_type(type_)
    return name, version, name in _LATEST and version == _LATEST[name]


def current_data(envelope: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The event's name and its data as the newest version has it (upcast where older)."""
    name, version, newest = type_info(envelope["type"])
    return name, envelope["data"] if newest else upcast(name, version, envelope["data"])[1]


def upcast(name: str, version: int, data: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """Chain upcasters from `version` up to the newest registered version of `name`."""
    target = latest_version(name)
    if version == target:
        return version, data
    while version < target:
        step = _UPCASTERS.get((name, version))
        if step is None:
            raise LookupError(f"no upcaster for {name} v{version} -> v{version + 1}")
        data, version = step(data), version + 1
    return version, data
