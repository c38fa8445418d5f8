"""Server-sent events: the status page's timeline grows as other services' steps arrive, without a reload."""

from __future__ import annotations

import asyncio
import contextlib
import json

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from intake.adapters.status import status_by_tracking_code, timeline_after
from intake.entrypoints.access import may_see_meeting
from shared.auth import optional_user
from intake.service_layer.notices import STATUS_LABELS
from shared.domain import DomainRuleBroken
from shared.web.formatting import tanggal_waktu

router = APIRouter(include_in_schema=False)
POLL_SECONDS = 1.0
"""Without a wake-up (its NOTIFY lost with a connection), a stream still looks this often."""
STREAM_SECONDS = 300
"""A stream ends after five minutes; the browser's EventSource reconnects with Last-Event-ID."""


def as_message(step: dict, found: dict, zone: str, with_meeting: bool) -> str:
    data = {
        "status": step["status"],
        "label": STATUS_LABELS.get(step["status"], step["status"]),
        "note": step["note"],
        "at": tanggal_waktu(step["at"], zone),
        "join_url": found.get("join_url") if with_meeting else None,
        "passcode": found.get("passcode") if with_meeting else None,
    }
    return f"id: {step['position']}\nevent: step\ndata: {json.dumps(data)}\n\n"


@router.get("/t/{tenant}/lacak/{code}/peristiwa")
async def timeline_stream(tenant: str, code: str, request: Request):
    runtime = request.app.state.runtime
    profile = runtime.tenant(tenant)
    async with runtime.pool.acquire() as conn:
        found = await status_by_tracking_code(conn, tenant, code)
    if found is None:
        raise DomainRuleBroken("code", "kode lacak tidak ditemukan", status=404)
    resume_after = request.headers.get("last-event-id", "")
    start = int(resume_after) if resume_after.isdigit() else 0
    with_meeting = may_see_meeting(await optional_user(request), tenant, found["agency"])
    steps = _steps(runtime, tenant, code, found["request_id"], start, profile.time_zone, request, with_meeting)
    return StreamingResponse(steps, media_type="text/event-stream", headers={"Cache-Control": "no-store"})


async def _steps(
    runtime, tenant: str, code: str, request_id: str, position: int, zone: str, request: Request, with_meeting: bool
):
    yield "retry: 2000\n\n"
    deadline = asyncio.get_running_loop().time() + STREAM_SECONDS
    with _watching(runtime, request_id) as woken:
        while asyncio.get_running_loop().time() < deadline:
            if await request.is_disconnected():
                return
            woken.clear()  # before reading: a step added meanwhile wakes the wait below at once
            async with runtime.pool.acquire() as conn:
                found = await status_by_tracking_code(conn, tenant, code)
                steps = await timeline_after(conn, found["request_id"], position)
            for step in steps:
                position = step["position"]
                yield as_message(step, found, zone, with_meeting)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(woken.wait(), POLL_SECONDS)


def _watching(runtime, request_id: str):
    """Woken by the process's timeline signals; without them (no listener running) only the poll."""
    signals = runtime.extras.get("timeline_signals")
    return signals.watching(request_id) if signals else contextlib.nullcontext(asyncio.Event())
