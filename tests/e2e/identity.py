"""Bearer headers of the demo users the end-to-end tests act as (filled once per run)."""

from __future__ import annotations

HEADERS: dict[str, dict[str, str]] = {}


def requester() -> dict[str, str]:
    """The agency staff member `requester@kaltara` (agency: Bappeda), through the real provider."""
    return HEADERS["requester@kaltara"]
