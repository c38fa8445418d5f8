"""A local WhatsApp gateway speaking the Fonnte-style API: `POST /send`, `Authorization: <token>`,
form fields `target` and `message`. It records every call and can be told to fail.

`GET /sent` lists the calls; `POST /fail?times=N` makes the next N sends answer 500.
Run with `python -m fakes.whatsapp` (PORT).
"""
from __future__ import annotations

import os

from fastapi import FastAPI, Form, Header
from fastapi.responses import JSONResponse


def create_app() -> FastAPI:
    app = FastAPI(title="Fake WhatsApp gateway")
    app.state.sent, app.state.failures_left, app.state.attempts = [], 0, 0

    @app.post("/send")
    async def send(target: str = Form(), message: str = Form(), countryCode: str = Form("62"),  # noqa: N803
                   authorization: str = Header("")):
        app.state.attempts += 1
        if app.state.failures_left > 0:
            app.state.failures_left -= 1
            return JSONResponse({"status": False, "reason": "gateway sedang gangguan"}, status_code=500)
        app.state.sent.append({"target": target, "message": message, "countryCode": countryCode,
                               "authorization": authorization})
        return {"status": True, "detail": "success! message in queue", "id": [len(app.state.sent)]}

    @app.get("/sent")
    async def sent():
        return {"sent": app.state.sent, "attempts": app.state.attempts}

    @app.post("/fail")
    async def fail(times: int = 1):
        app.state.failures_left = times
        return {"failures_left": times}

    return app


if __name__ == "__main__":
    import uvicorn

    uvicorn.run(create_app(), host="127.0.0.1", port=int(os.environ.get("PORT", "9902")), log_level="warning")
