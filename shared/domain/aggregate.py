"""Event-sourced aggregates: decisions record events; state is rebuilt by applying them."""

from __future__ import annotations

from typing import ClassVar, Self

from shared.events.base import Event


class Aggregate:
    """Subclasses define `when_<subject token>(event)` for each event they record."""

    stream_prefix: ClassVar[str]

    def __init__(self, id: str, tenant: str):
        self.id, self.tenant = id, tenant
        self.version = 0
        self.pending: list[Event] = []

    @property
    def stream_id(self) -> str:
        return f"{self.stream_prefix}-{self.id}"

    def record(self, event: Event) -> None:
        self._apply(event)
        self.pending.append(event)

    def _apply(self, event: Event) -> None:
        getattr(self, f"when_{event.subject_token()}")(event)

    def replay(self, history: list[Event]) -> Self:
        for event in history:
            self._apply(event)
            self.version += 1
        return self

    @classmethod
    def rehydrate(cls, id: str, tenant: str, history: list[Event]) -> Self:
        return cls(id, tenant).replay(history)
