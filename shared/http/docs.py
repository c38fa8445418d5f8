"""The API documents, served locally (nothing loads from a CDN), and one index of them all.

Each service serves its OpenAPI page (`/docs`, Swagger UI from the `swagger-ui-bundle` wheel),
`/openapi.json`, its AsyncAPI document (`/asyncapi.yaml`) and a readable list of its events
(`/peristiwa`); at the one address they are under `/layanan/<service>/`, so the page asks for
its assets and schema by relative URL. `/dokumentasi` lists every service's documents.

Swagger UI 4 (the newest the wheel ships) reads OpenAPI 3.0 only; the page gets FastAPI's 3.1
schema rewritten for it, while `/openapi.json` stays 3.1 for programs.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from typing import Any

import yaml
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

from shared.config import SERVICES, Settings
from shared.web import SHARED, templates

SERVICE_LABELS = {
    "intake": "Permohonan",
    "approval": "Verifikasi dan disposisi",
    "provisioning": "Penyediaan rapat dan peralatan",
    "reporting": "Laporan",
    "complaints": "Pengaduan",
}
SERVICE_PREFIX = "/layanan"
_pages = templates(SHARED)
JsonObject = dict[str, Any]
"""A JSON document as `json.loads` and `yaml.safe_load` give it: what OpenAPI and AsyncAPI are."""


RESPONSE_WORDS = {"Successful Response": "Berhasil", "Validation Error": "Isian tidak sah"}
"""FastAPI's own descriptions of responses, as an integrator reads them in the documents."""


def install_docs(app: FastAPI) -> None:
    app.openapi = _in_indonesian(app.openapi)  # type: ignore[method-assign]  # FastAPI's documented way
    app.mount("/static/swagger", StaticFiles(directory=swagger_ui_path), name="swagger")

    @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    async def docs(request: Request) -> Response:
        spec = json.dumps(for_swagger_ui(app.openapi())).replace("</", "<\\/")
        return _pages.TemplateResponse(request, "swagger.html", {"title": app.title, "spec": spec})

    @app.get("/asyncapi.yaml", include_in_schema=False)
    async def asyncapi() -> PlainTextResponse:
        return PlainTextResponse(_asyncapi(app.state.runtime.spec.name), media_type="application/yaml")

    @app.get("/peristiwa", include_in_schema=False, response_class=HTMLResponse)
    async def events(request: Request) -> Response:
        return _pages.TemplateResponse(
            request,
            "peristiwa.html",
            {"title": app.title, "events": events_of(yaml.safe_load(_asyncapi(app.state.runtime.spec.name)))},
        )

    @app.get("/dokumentasi", include_in_schema=False, response_class=HTMLResponse)
    async def index(request: Request) -> Response:
        settings: Settings = app.state.runtime.settings
        return _pages.TemplateResponse(
            request,
            "dokumentasi.html",
            {"services": [(name, SERVICE_LABELS[name], documents_base(settings, name)) for name in SERVICES]},
        )


def _in_indonesian(build: Callable[[], JsonObject]) -> Callable[[], JsonObject]:
    def openapi() -> JsonObject:
        schema = build()
        for operation in (op for path in schema.get("paths", {}).values() for op in path.values()):
            for response in operation.get("responses", {}).values():
                response["description"] = RESPONSE_WORDS.get(response.get("description"), response.get("description"))
        return schema

    return openapi


def documents_base(settings: Settings, service: str) -> str:
    """Where a service's documents are: under `/layanan/<service>` at the one address."""
    if settings.vidcon_public_url:
        return f"{settings.vidcon_public_url.rstrip('/')}{SERVICE_PREFIX}/{service}"
    return settings.service_url_map().get(service, f"{SERVICE_PREFIX}/{service}")


@cache
def _asyncapi(service: str) -> str:
    import importlib

    from shared.contracts import asyncapi_document  # builds a broker: imported when first asked

    return asyncapi_document(importlib.import_module(f"{service}.bootstrap").SPEC)


def events_of(document: JsonObject) -> list[dict[str, str]]:
    """(name, subject, published or consumed) of each channel an AsyncAPI 3 document names."""
    actions = {op["channel"]["$ref"].rsplit("/", 1)[-1]: op["action"] for op in document.get("operations", {}).values()}
    return [
        {
            "name": name,
            "subject": channel["address"],
            "direction": "diterbitkan" if actions.get(name) == "send" else "didengarkan",
        }
        for name, channel in sorted(document.get("channels", {}).items())
    ]


def for_swagger_ui(schema: JsonObject) -> JsonObject:
    """OpenAPI 3.1 as 3.0 reads it: `anyOf` with `null` becomes `nullable`, `examples` one `example`."""
    converted: JsonObject = {key: _for_swagger_ui(value) for key, value in schema.items()}
    if converted.get("openapi", "").startswith("3.1"):
        converted["openapi"] = "3.0.3"
    options = converted.get("anyOf")
    if isinstance(options, list) and {"type": "null"} in options:
        rest = [option for option in options if option != {"type": "null"}]
        del converted["anyOf"]
        converted |= (rest[0] if len(rest) == 1 else {"anyOf": rest}) | {"nullable": True}
    if isinstance(converted.get("examples"), list) and "type" in converted:
        converted["example"] = converted.pop("examples")[0] if converted["examples"] else None
    if "const" in converted:
        converted["enum"] = [converted.pop("const")]
    return converted


def _for_swagger_ui(value: object) -> object:
    """Each object inside a schema, however deep in lists, converted as the schema is."""
    if isinstance(value, list):
        return [_for_swagger_ui(item) for item in value]
    if isinstance(value, dict):
        return for_swagger_ui(value)
    return value
