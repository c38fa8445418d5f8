"""The officer's page for a survey filled in on paper: upload the typed sheet, record it whole."""

from __future__ import annotations

import tempfile
import uuid
from datetime import date, datetime, time
from pathlib import Path

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse

from complaints.service_layer.surveys import record_paper_survey
from shared.auth import Role, require
from shared.satisfaction import SurveySheetError, read_survey_sheet
from shared.web import templates

OFFICERS = (Role.COMPLAINTS_OFFICER, Role.TENANT_ADMIN)
router = APIRouter(include_in_schema=False, dependencies=[Depends(require(*OFFICERS))])
pages = templates(Path(__file__).parent.parent)


def _page(request: Request, tenant: str, status: int = 200, **context) -> HTMLResponse:
    profile = request.app.state.runtime.tenant(tenant)
    return pages.TemplateResponse(
        request,
        "survei_kertas.html",
        {"profile": profile, "csrf": request.session.get("csrf", ""), "errors": {}, **context},
        status_code=status,
    )


@router.get("/t/{tenant}/survei-kertas", response_class=HTMLResponse)
async def paper_survey_form(tenant: str, request: Request):
    return _page(request, tenant)


@router.post("/t/{tenant}/survei-kertas", response_class=HTMLResponse)
async def paper_survey_upload(tenant: str, request: Request, sheet: UploadFile = File(...), filled_on: str = Form("")):
    runtime = request.app.state.runtime
    profile = runtime.tenant(tenant)
    errors = {}
    try:
        day = date.fromisoformat(filled_on)
    except ValueError:
        errors["filled_on"] = "Tanggal pengisian: wajib diisi dengan tanggal yang valid."
    try:
        responses = _read(sheet)
    except SurveySheetError as refused:
        errors["sheet"] = f"Berkas survei: {refused}"
    if errors:
        return _page(request, tenant, 422, errors=errors)
    at = datetime.combine(day, time(12), tzinfo=profile.calendar().zone)
    async with runtime.transaction() as conn:
        count = await record_paper_survey(conn, tenant, responses, at, f"paper-survey-{uuid.uuid4()}")
    return _page(request, tenant, recorded=f"{count} responden dari {sheet.filename} tercatat untuk {day:%d-%m-%Y}.")


def _read(sheet: UploadFile) -> list[dict[str, int]]:
    suffix = Path(sheet.filename or "").suffix.lower()
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy:
        copy.write(sheet.file.read())
        copy.flush()
        return read_survey_sheet(Path(copy.name))
