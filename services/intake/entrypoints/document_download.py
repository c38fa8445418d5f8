"""Buka berkas: a request's letter or participant list, for the officials who handle it and its agency.

Intake owns the files; approval's request page links here. A letter names people and a participant
list is personal data, so every read lands in the personal-data audit trail.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from intake.adapters.documents import claimed_document
from intake.domain.documents import KINDS
from intake.entrypoints.access import SUBMITTERS, check_agency
from shared.auth import Role, User, require
from shared.domain import DomainRuleBroken
from shared.personal_data import record_access

router = APIRouter(include_in_schema=False)
READERS = (*SUBMITTERS, Role.HEAD_OF_DEPARTMENT, Role.HEAD_OF_DIVISION, Role.APPROVER, Role.TECHNICAL_TEAM)
Reader = Annotated[User, Depends(require(*READERS))]
SHOWN_IN_BROWSER = {"application/pdf"}


@router.get("/t/{tenant}/berkas/{document_ref}")
async def download(tenant: str, document_ref: str, request: Request, user: Reader):
    runtime = request.app.state.runtime
    runtime.tenant(tenant)
    async with runtime.transaction() as conn:
        document = await claimed_document(conn, tenant, document_ref)
        if document is None:
            raise DomainRuleBroken("document_ref", "berkas tidak ditemukan", status=404)
        check_agency(user, tenant, document["agency"])
        label = KINDS[document["kind"]].label if document["kind"] in KINDS else document["kind"]
        await record_access(
            conn,
            tenant=tenant,
            actor=user.id,
            action="read",
            subject_refs=[document_ref],
            purpose=f"membuka berkas {label} permohonan",
        )
    return Response(
        bytes(document["content"]),
        media_type=document["media_type"],
        headers={
            "Content-Disposition": f"{disposition(document['media_type'])}; filename*=UTF-8''{quote(document['filename'])}",
            "Cache-Control": "private, no-store",
        },
    )


def disposition(media_type: str) -> str:
    return "inline" if media_type in SHOWN_IN_BROWSER else "attachment"
