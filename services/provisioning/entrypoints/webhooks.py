"""Zoom's webhook endpoint: signature checked before anything is read."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from provisioning.adapters.zoom_webhooks import signature_valid, url_validation_answer
from provisioning.service_layer.webhooks import apply_zoom_event

router = APIRouter(tags=["webhook"])


@router.post("/webhooks/zoom")
async def zoom_webhook(request: Request):
    runtime = request.app.state.runtime
    secret, body = runtime.settings.zoom_webhook_secret, await request.body()
    if not signature_valid(
        secret, request.headers.get("x-zm-request-timestamp", ""), body, request.headers.get("x-zm-signature", "")
    ):
        return JSONResponse({"message": "tanda tangan webhook tidak sah"}, status_code=401)
    payload = json.loads(body)
    if payload.get("event") == "endpoint.url_validation":
        return url_validation_answer(secret, payload["payload"]["plainToken"])
    async with runtime.transaction() as conn:
        outcome = await apply_zoom_event(conn, runtime.extras["provisioning"], payload)
    return {"status": outcome}
