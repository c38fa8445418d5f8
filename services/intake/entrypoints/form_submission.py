"""A request sent from the web form: its files uploaded and the request submitted in one transaction.

Every problem found is collected (a wrong file and a wrong time are both reported) and the
transaction rolls back, so a refused form stores no request; the request form keeps the files
that passed their checks (see submit_page).
"""

from __future__ import annotations

from typing import Awaitable, Callable

import asyncpg
from fastapi import Request
from pydantic import BaseModel, ValidationError

from intake.domain.documents import LARGEST
from intake.entrypoints.access import own_request
from intake.service_layer.uploads import upload_document
from shared.domain import DomainRuleBroken
from shared.http import field_errors


async def requester_form(request: Request, tenant: str, request_id: str, user) -> tuple:
    """What a form on one request starts with: the tenant's profile, the request (own agency's only), the form."""
    own = await own_request(request, tenant, request_id, user)
    return request.app.state.runtime.tenant(tenant), own, await request.form()


class FormRefused(Exception):
    def __init__(self, errors: list[dict[str, str]]):
        self.errors = errors
        super().__init__("; ".join(f"{e['field']}: {e['rule']}" for e in errors))


async def upload_all(conn: asyncpg.Connection, tenant: str, files: dict, errors: list[dict]) -> dict[str, str]:
    """Each file uploaded as the API's upload does; a refused file adds its error and no reference."""
    documents = {}
    for kind, file in files.items():
        try:
            stored = await upload_document(conn, tenant, kind, file.filename, await file.read(LARGEST + 1))
            documents[kind] = stored["document_ref"]
        except DomainRuleBroken as broken:
            errors.append({"field": f"documents.{kind}", "rule": broken.message})
    return documents


def validated(model: type[BaseModel], data: dict, errors: list[dict]) -> BaseModel | None:
    try:
        return model.model_validate(data)
    except ValidationError as invalid:
        errors.extend(field_errors(invalid.errors()))
        return None


async def carried_out(use_case: Callable[[], Awaitable], errors: list[dict]):
    """Run the use case once the form had no errors; any error refuses the whole form."""
    if errors:
        raise FormRefused(errors)
    try:
        return await use_case()
    except DomainRuleBroken as broken:
        raise FormRefused([{"field": broken.field, "rule": broken.message}]) from None
    except ValidationError as invalid:
        raise FormRefused(field_errors(invalid.errors())) from None
