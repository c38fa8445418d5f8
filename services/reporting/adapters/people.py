"""Names of people, read from intake's erasable store when a page or document is made.

Projections keep no names; the department's own pages and documents ask intake, as the
person looking at them (intake audits the read), and an erased person comes back erased.
"""

from __future__ import annotations

import httpx
import structlog

log = structlog.get_logger()
PURPOSE = "rekap dan evaluasi layanan"


async def names_of(intake_url: str, tenant: str, request_ids: list[str], credentials: dict[str, str]) -> dict:
    """{request_id: {"contact": name, "leading_official": name}}; empty when intake cannot say."""
    if not intake_url or not request_ids or not credentials:
        return {}
    params = [("purpose", PURPOSE), *[("request_id", one) for one in request_ids]]
    try:
        async with httpx.AsyncClient(timeout=5.0) as http:
            answer = await http.get(
                f"{intake_url}/api/{tenant}/people/names",
                params=params,
                headers={**credentials, "Accept": "application/json"},
            )
        answer.raise_for_status()
        return answer.json()["names"]
    except (httpx.HTTPError, KeyError, ValueError) as error:
        log.warning("reporting.names_unavailable", error=repr(error))
        return {}
