"""A local Zoom API: Server-to-Server OAuth, scheduled meetings, rate limits, webhooks.

Endpoints as Zoom documents them: `POST /oauth/token?grant_type=account_credentials&account_id=`
with HTTP Basic client credentials; `POST/GET /v2/users/{userId}/meetings`; `GET/PATCH/DELETE
/v2/meetings/{meetingId}` (PATCH merges `settings`); `PATCH/GET /v2/meetings/{meetingId}/livestream`
(custom live streaming: stream_url, stream_key, page_url); `DELETE /v2/meetings/{meetingId}/recordings`. Like Zoom: a 429 has no
Retry-After, and each host may create or update `ZOOM_DAILY_CAP` (100) meetings per UTC day.
Test controls live under `/_fake/` (throttle, slow creates, per-host caps and latency, expire
tokens, send webhooks). Run with `python -m fakes.zoom` (PORT, ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET,
ZOOM_WEBHOOK_SECRET, ZOOM_DAILY_CAP from the environment).
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import os
import secrets
import time
from datetime import datetime, timezone

from fastapi import FastAPI, Header, HTTPException, Request
from fastapi.responses import JSONResponse

from fakes import zoom_webhooks
from fakes.zoom_state import FakeState

PER_SECOND = "You have reached the maximum per-second rate limit for this API. Try again later."
DAILY = (
    "You have exceeded the daily rate limit ({cap}) of Meeting Create/Update API requests permitted "
    "for this particular user. You may resume these requests at GMT 00:00:00."
)


def create_app(
    client_id: str | None = None,
    client_secret: str | None = None,
    webhook_secret: str | None = None,
    daily_cap: int | None = None,
    token_seconds: int = 3600,
) -> FastAPI:
    client_id = client_id or os.environ.get("ZOOM_CLIENT_ID", "vidcon-dev")
    client_secret = client_secret or os.environ.get("ZOOM_CLIENT_SECRET", "vidcon-dev-secret")
    state = FakeState(
        webhook_secret or os.environ.get("ZOOM_WEBHOOK_SECRET", "vidcon-dev-webhook-secret"),
        daily_cap or int(os.environ.get("ZOOM_DAILY_CAP", "100")),
        token_seconds,
    )
    app = FastAPI(title="Fake Zoom API")
    app.state.fake = state
    app.state.meetings, app.state.tokens = state.meetings, state.tokens
    ids = itertools.count(81000000001)

    @app.post("/oauth/token")
    async def token(grant_type: str, account_id: str, authorization: str = Header("")):
        expected = "Basic " + base64.b64encode(f"{client_id}:{client_secret}".encode()).decode()
        if grant_type != "account_credentials" or authorization != expected:
            return JSONResponse({"reason": "Invalid client_id or client_secret", "error": "invalid_client"}, 400)
        state.tokens_issued += 1
        access = secrets.token_urlsafe(24)
        state.tokens[access] = time.time() + state.token_seconds
        return {
            "access_token": access,
            "token_type": "bearer",
            "expires_in": state.token_seconds,
            "scope": "meeting:write:admin",
        }

    def guard(authorization: str, host: str | None = None) -> None:
        state.calls += 1
        if state.tokens.get(authorization.removeprefix("Bearer "), 0) < time.time():
            raise HTTPException(401, {"code": 124, "message": "Invalid access token."})
        if state.throttle > 0:
            state.throttle -= 1
            raise HTTPException(429, {"code": 429, "message": PER_SECOND})
        if host is not None:
            day = datetime.now(timezone.utc).date()
            if state.writes[(host, day)] >= state.cap_of(host):
                raise HTTPException(429, {"code": 429, "message": DAILY.format(cap=state.cap_of(host))})
            state.writes[(host, day)] += 1

    @app.exception_handler(HTTPException)
    async def zoom_error(request: Request, error: HTTPException):
        return JSONResponse(error.detail, error.status_code)

    @app.post("/v2/users/{user_id}/meetings", status_code=201)
    async def create_meeting(user_id: str, request: Request, authorization: str = Header("")):
        guard(authorization, host=user_id)
        await state.answer_late(user_id)
        body = await request.json()
        meeting_id = next(ids)
        state.meetings[meeting_id] = meeting = state.new_meeting(meeting_id, user_id, body)
        if state.slow_creates > 0:
            state.slow_creates -= 1
            await asyncio.sleep(state.slow_seconds)  # created, but the answer comes too late
        return meeting

    @app.get("/v2/users/{user_id}/meetings")
    async def list_meetings(user_id: str, authorization: str = Header(""), page_size: int = 30):
        guard(authorization)
        await state.answer_late(user_id)
        mine = [m for m in state.meetings.values() if m["host_email"] == user_id]
        listed = [
            {
                k: m[k]
                for k in (
                    "id",
                    "uuid",
                    "host_id",
                    "topic",
                    "type",
                    "start_time",
                    "duration",
                    "timezone",
                    "agenda",
                    "join_url",
                    "created_at",
                )
            }
            for m in mine
        ]
        return {"page_size": page_size, "total_records": len(listed), "next_page_token": "", "meetings": listed}

    @app.get("/v2/meetings/{meeting_id}")
    async def get_meeting(meeting_id: int, authorization: str = Header("")):
        guard(authorization)
        await state.answer_late(state.meeting(meeting_id)["host_email"])
        return state.meeting(meeting_id)

    @app.patch("/v2/meetings/{meeting_id}", status_code=204)
    async def update_meeting(meeting_id: int, request: Request, authorization: str = Header("")):
        meeting = state.meeting(meeting_id)
        guard(authorization, host=meeting["host_email"])
        await state.answer_late(meeting["host_email"])
        body = await request.json()
        meeting.update({k: v for k, v in body.items() if k != "settings"})
        meeting["settings"].update(body.get("settings", {}))

    @app.delete("/v2/meetings/{meeting_id}", status_code=204)
    async def delete_meeting(meeting_id: int, authorization: str = Header("")):
        guard(authorization)
        await state.answer_late(state.meeting(meeting_id)["host_email"])
        state.meetings.pop(meeting_id, None)

    @app.patch("/v2/meetings/{meeting_id}/livestream", status_code=204)
    async def update_live_stream(meeting_id: int, request: Request, authorization: str = Header("")):
        guard(authorization)
        state.meeting(meeting_id)
        body = await request.json()
        if not body.get("stream_url") or not body.get("stream_key"):
            raise HTTPException(
                400,
                {
                    "code": 300,
                    "message": "Validation Failed.",
                    "errors": [{"field": "stream_url", "message": "stream_url and stream_key are required."}],
                },
            )
        state.live_streams[meeting_id] = {key: body.get(key, "") for key in ("stream_url", "stream_key", "page_url")}

    @app.get("/v2/meetings/{meeting_id}/livestream")
    async def get_live_stream(meeting_id: int, authorization: str = Header("")):
        guard(authorization)
        state.meeting(meeting_id)
        return state.live_streams.get(meeting_id, {"stream_url": "", "stream_key": "", "page_url": ""})

    @app.delete("/v2/meetings/{meeting_id}/recordings", status_code=204)
    async def delete_recordings(meeting_id: int, authorization: str = Header("")):
        guard(authorization)
        if not state.recordings.pop(meeting_id, None):
            raise HTTPException(404, {"code": 3301, "message": "There is no recording for this meeting."})

    @app.post("/_fake/throttle")
    async def throttle(count: int):
        state.throttle = count

    @app.post("/_fake/slow_creates")
    async def slow_creates(count: int, seconds: float):
        state.slow_creates, state.slow_seconds = count, seconds

    @app.post("/_fake/hosts/{user_id}/daily_cap")
    async def host_cap(user_id: str, limit: int):
        state.caps[user_id] = limit

    @app.post("/_fake/hosts/{user_id}/latency")
    async def host_latency(user_id: str, seconds: float):
        state.latency[user_id] = seconds

    @app.post("/_fake/tokens/expire")
    async def expire_tokens():
        state.tokens.clear()

    @app.post("/_fake/meetings/{meeting_id}/webhook")
    async def send_webhook(meeting_id: int, event: str, url: str):
        """Play Zoom: send `meeting.started`, `meeting.ended` or `recording.completed`, signed."""
        meeting = state.meeting(meeting_id)
        payload = zoom_webhooks.meeting_event(event, meeting, **state.event_details(event, meeting))
        answer = await zoom_webhooks.send(url, state.webhook_secret, payload)
        return {"status": answer.status_code}

    @app.post("/_fake/webhooks/validate")
    async def validate(url: str):
        return {"valid": await zoom_webhooks.validate(url, state.webhook_secret)}

    return app


if __name__ == "__main__":
    import uvicorn

    uvicorn.run(create_app(), host="127.0.0.1", port=int(os.environ.get("PORT", "9901")), log_level="warning")
