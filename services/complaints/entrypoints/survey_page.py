"""The public survey page: the nine elements of PermenPANRB 14/2017, one response per link."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from complaints.domain.questions import PROFILE_QUESTIONS, QUESTIONS
from complaints.service_layer.surveys import answer_survey, survey_of_token
from shared.auth import rate_limited
from shared.domain import DomainRuleBroken
from shared.http import correlation_id_from, now_of
from shared.web import templates

router = APIRouter(include_in_schema=False)
pages = templates(Path(__file__).parent.parent)


def _page(request: Request, tenant: str, token: str, status: int = 200, **context) -> HTMLResponse:
    profile = request.app.state.runtime.tenant(tenant)
    return pages.TemplateResponse(
        request,
        "survei.html",
        {
            "profile": profile,
            "token": token,
            "questions": QUESTIONS,
            "profile_questions": PROFILE_QUESTIONS,
            "errors": {},
            "chosen": {},
            **context,
        },
        status_code=status,
    )


@router.get("/t/{tenant}/survei/{token}", response_class=HTMLResponse)
async def survey_page(tenant: str, token: str, request: Request):
    runtime = request.app.state.runtime
    runtime.tenant(tenant)
    async with runtime.pool.acquire() as conn:
        try:
            row = await survey_of_token(conn, tenant, token)
        except DomainRuleBroken as unknown:
            return _page(request, tenant, token, 404, unknown=unknown.message)
    return _page(request, tenant, token, done=row["answered_at"] is not None)


@router.post(
    "/t/{tenant}/survei/{token}", response_class=HTMLResponse, dependencies=[Depends(rate_limited("20/minute"))]
)
async def answer(tenant: str, token: str, request: Request):
    runtime = request.app.state.runtime
    runtime.tenant(tenant)
    form = await request.form()
    chosen = {key: str(value) for key, value in form.items()}
    answers, profile, errors = read_answers(chosen)
    if errors:
        return _page(request, tenant, token, 422, errors=errors, chosen=chosen)
    try:
        async with runtime.transaction() as conn:
            await answer_survey(
                conn,
                tenant,
                token,
                answers,
                profile,
                chosen.get("saran", "")[:2000],
                now_of(request),
                correlation_id_from(request),
            )
    except DomainRuleBroken as refused:
        return _page(request, tenant, token, refused.status, refused=refused.message, done=refused.status == 409)
    return _page(request, tenant, token, thanked=True, done=True)


def read_answers(form: dict[str, str]) -> tuple[dict[str, int], dict[str, str], dict[str, str]]:
    """Nine answers 1-4 and the optional profile; every fault at once, by field, in Indonesian."""
    answers, errors = {}, {}
    for element, question in QUESTIONS.items():
        value = form.get(element, "")
        if value not in ("1", "2", "3", "4"):
            errors[element] = f"{element} ({question.title}): pilih salah satu dari empat jawaban"
        else:
            answers[element] = int(value)
    profile = {}
    for field, (title, options) in PROFILE_QUESTIONS.items():
        value = form.get(field, "")
        if value and value not in options:
            errors[field] = f"{title}: pilihan tidak dikenal"
        elif value:
            profile[field] = value
    return answers, profile, errors
