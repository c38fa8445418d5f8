"""The public feed: integration events for other agencies, apart from the internal events.

Each public event type and version has its own model (`contracts.py`) holding only what another
agency may know; `mapping.py` is the one place an internal event becomes a public one. An
internal refactor changes the mapping, never what agencies receive: a public model that changes
needs a new version (`schemas.py` refuses to overwrite a published schema).
"""

from shared.events.public.contracts import PUBLIC_EVENTS, PublicEvent
from shared.events.public.envelope import PUBLIC_ROOT, PublicEnvelope, public_subject
from shared.events.public.mapping import public_copy

__all__ = ["PUBLIC_EVENTS", "PUBLIC_ROOT", "PublicEnvelope", "PublicEvent", "public_copy", "public_subject"]
