"""Why an event could not be applied: the event's own fault (park it) or the world's (wait).

Permanent: the event cannot be read (not JSON, not a valid envelope, an unknown type or
version, data its model refuses), names a tenant this department does not serve, is over
`MAX_EVENT_BYTES`, or breaks a domain rule (`DomainRuleBroken` from a handler). Retrying
cannot change any of these, so the event is parked in the dead-letter stream.

Transient: everything else. PostgreSQL down, NATS unreachable, Zoom answering 5xx, a timeout,
and also a bug: those are fixed by waiting or by a deployment, and skipping the event would
lose it, so the consumer keeps retrying it (and only it) until it succeeds.
"""

from __future__ import annotations

from pydantic import ValidationError

from shared.domain import DomainRuleBroken
from shared.events import EventTooLarge


class Unprocessable(Exception):
    """The event itself is at fault."""


class Undecodable(Unprocessable):
    pass


class UnknownTenant(Unprocessable):
    def __init__(self, tenant: str):
        super().__init__(f"tenant {tenant!r} is not one of this department's tenants")


PERMANENT = (Unprocessable, EventTooLarge, DomainRuleBroken, ValidationError)


def is_permanent(error: BaseException) -> bool:
    return isinstance(error, PERMANENT)


def retry_delay(attempt: int, first: float, cap: float) -> float:
    """Seconds before delivery `attempt` + 1: doubling from `first`, never more than `cap`."""
    return min(first * 2.0 ** max(attempt - 1, 0), cap)
