"""A local Zoom API: Server-to-Server OAuth and scheduled meetings, enough for the real client.

Endpoints as Zoom documents them: `POST /oauth/token?grant_type=account_credentials&account_id=`
with HTTP Basic client credentials; `POST /v2/users/{userId}/meetings`; `GET/PATCH/DELETE
/v2/meetings/{meetingId}`. Run with `python -m fakes.zoom` (PORT, ZOOM_CLIENT_ID,
ZOOM_CLIENT_SECRET from the environment).
"""
from __future__ import annotations

import base64
import itertools
import os
import secrets
import time

from fastapi import FastAPI, Header, HTTPException, Request
from fastapi.responses import JSONResponse

TOKEN_SECONDS = 3600


def create_app(client_id: str | None = None, client_secret: str | None = None) -> FastAPI:
    client_id = client_id or os.environ.get("ZOOM_CLIENT_ID", "vidcon-dev")
    client_secret = client_secret or os.environ.get("ZOOM_CLIENT_SECRET", "vidcon-dev-secret")
    app = FastAPI(title="Fake Zoom API")
    tokens: dict[str, float] = {}
    meetings: dict[int, dict] = {}
    ids = itertools.count(81000000001)
    app.state.meetings, app.state.tokens = meetings, tokens

    @app.post("/oauth/token")
    async def token(grant_type: str, account_id: str, authorization: str = Header("")):
        expected = "Basic " + base64.b64encode(f"{client_id}:{client_secret}".encode()).decode()
        if grant_type != "account_credentials" or authorization != expected:
            return JSONResponse({"reason": "Invalid client_id or client_secret", "error": "invalid_client"}, 400)
        access = secrets.token_urlsafe(24)
        tokens[access] = time.time() + TOKEN_SECONDS
        return {"access_token": access, "token_type": "bearer", "expires_in": TOKEN_SECONDS,
                "scope": "meeting:write:admin"}

    def authorized(authorization: str) -> None:
        access = authorization.removeprefix("Bearer ")
        if tokens.get(access, 0) < time.time():
            raise HTTPException(401, {"code": 124, "message": "Invalid access token."})

    @app.post("/v2/users/{user_id}/meetings", status_code=201)
    async def create_meeting(user_id: str, request: Request, authorization: str = Header("")):
        authorized(authorization)
        body = await request.json()
        meeting_id = next(ids)
        meetings[meeting_id] = meeting = {
            "id": meeting_id, "host_email": user_id, "topic": body.get("topic", ""),
            "type": body.get("type", 2), "start_time": body.get("start_time"),
            "duration": body.get("duration", 60), "timezone": body.get("timezone", "UTC"),
            "agenda": body.get("agenda", ""), "password": body.get("password") or secrets.token_hex(3),
            "settings": body.get("settings", {}),
            "join_url": f"https://zoom.example.test/j/{meeting_id}",
            "tracking_fields": body.get("tracking_fields", []),
        }
        return meeting

    @app.get("/v2/meetings/{meeting_id}")
    async def get_meeting(meeting_id: int, authorization: str = Header("")):
        authorized(authorization)
        if meeting_id not in meetings:
            raise HTTPException(404, {"code": 3001, "message": "Meeting does not exist."})
        return meetings[meeting_id]

    @app.delete("/v2/meetings/{meeting_id}", status_code=204)
    async def delete_meeting(meeting_id: int, authorization: str = Header("")):
        authorized(authorization)
        if meetings.pop(meeting_id, None) is None:
            raise HTTPException(404, {"code": 3001, "message": "Meeting does not exist."})

    return app


if __name__ == "__main__":
    import uvicorn

    uvicorn.run(create_app(), host="127.0.0.1", port=int(os.environ.get("PORT", "9901")),
                log_level="warning")
