"""A local WhatsApp gateway speaking the Fonnte-style API: `POST /send`, `Authorization: <token>`,
form fields `target` and `message`. It records every call and can be told to fail.

`GET /sent` lists the calls (each with the caller's address and port: its connection); `POST /fail?times=N` makes the next N sends answer 500.
A call with an `Idempotency-Key` header already answered gets that answer again and sends
nothing (`state.keys` lists the key of every call). In a test, `app.state.hold = asyncio.Event()`
makes a send wait, after it was taken, until the event is set (a slow gateway).
Run with `python -m fakes.whatsapp` (PORT).
"""

from __future__ import annotations

import os

from fastapi import FastAPI, Form, Header, Request
from fastapi.responses import JSONResponse


def create_app() -> FastAPI:
    app = FastAPI(title="Fake WhatsApp gateway")
    app.state.sent, app.state.failures_left, app.state.attempts = [], 0, 0
    app.state.keys, app.state.answers, app.state.hold = [], {}, None

    @app.post("/send")
    async def send(
        request: Request,
        target: str = Form(),
        message: str = Form(),
        countryCode: str = Form("62"),  # noqa: N803
        authorization: str = Header(""),
        idempotency_key: str | None = Header(None),
    ):
        app.state.attempts += 1
        app.state.keys.append(idempotency_key)
        if idempotency_key in app.state.answers:
            return app.state.answers[idempotency_key]
        if app.state.failures_left > 0:
            app.state.failures_left -= 1
            return JSONResponse({"status": False, "reason": "gateway sedang gangguan"}, status_code=500)
        app.state.sent.append(
            {
                "target": target,
                "message": message,
                "countryCode": countryCode,
                "authorization": authorization,
                "idempotency_key": idempotency_key,
                "connection": f"{request.client.host}:{request.client.port}",
            }
        )
        answer = {"status": True, "detail": "success! message in queue", "id": [len(app.state.sent)]}
        if idempotency_key:
            app.state.answers[idempotency_key] = answer
        if app.state.hold is not None:
            await app.state.hold.wait()
        return answer

    @app.get("/sent")
    async def sent():
        return {"sent": app.state.sent, "attempts": app.state.attempts, "keys": app.state.keys}

    @app.post("/fail")
    async def fail(times: int = 1):
        app.state.failures_left = times
        return {"failures_left": times}

    return app


if __name__ == "__main__":
    import uvicorn

    uvicorn.run(create_app(), host="127.0.0.1", port=int(os.environ.get("PORT", "9902")), log_level="warning")
