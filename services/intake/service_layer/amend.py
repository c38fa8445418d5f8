"""Perbaikan: the requester corrects a request before verification (or after it was returned)."""

from __future__ import annotations

from datetime import datetime

import asyncpg

from intake.adapters.contacts import keep_people, personal_details, update_contact
from intake.adapters.documents import attach_documents
from intake.adapters.status import progress_of_request, status_by_request_id
from intake.domain.amendment import amended, changed_fields, changes_in_words
from intake.domain.commands import AmendRequest, RequestDetails
from intake.domain.rules import check_details
from intake.service_layer.handlers import SCHEMA, load_request, record_change
from shared.clock import utc_now
from shared.eventstore import Causation
from shared.eventstore.aggregate import save
from shared.personal_data import record_access
from shared.tenants import TenantProfile


async def amend_request(
    conn: asyncpg.Connection,
    profile: TenantProfile,
    request_id: str,
    command: AmendRequest,
    correlation_id: str,
    public_url: str = "",
    at: datetime | None = None,
    actor: str = "unknown",
) -> dict:
    """Returns the changes recorded. Raises pydantic's ValidationError when the result is not a valid request."""
    at = at or utc_now()
    request = await load_request(conn, profile.id, request_id)
    progress, status = await progress_of_request(conn, request_id)
    contact_ref = str(status["contact_ref"])
    current = {**request.details, **await personal_details(conn, contact_ref)}
    before = RequestDetails.model_validate(current)
    after = amended(current, command.model_dump(exclude_unset=True, mode="json"))
    changes = changed_fields(before, after)
    request.amend(changes, at, progress)
    check_details(profile, after)
    await attach_documents(conn, profile.id, request_id, after.documents)
    if await keep_personal_changes(conn, contact_ref, after, changes):
        await record_access(
            conn,
            tenant=profile.id,
            actor=actor,
            action="change",
            subject_refs=[contact_ref],
            purpose="perbaikan permohonan",
        )
    [envelope] = await save(conn, SCHEMA, request, Causation(correlation_id))
    await record_change(
        conn,
        profile,
        request_id,
        envelope.id,
        "amended",
        at,
        changes_in_words(changes),
        public_url,
        event_name=after.event_name,
        agency=after.agency,
    )
    return changes


async def keep_personal_changes(
    conn: asyncpg.Connection, contact_ref: str, after: RequestDetails, changes: dict
) -> bool:
    """Store changed personal data beside the request; True when any was changed."""
    if "contact" in changes:
        await update_contact(conn, contact_ref, after.contact)
    if "leading_official" in changes or "speakers" in changes:
        await keep_people(conn, contact_ref, after.leading_official, after.speakers)
    return bool({"contact", "leading_official", "speakers"} & changes.keys())


async def current_details(conn: asyncpg.Connection, tenant: str, request_id: str) -> dict:
    """The request as an amendment starts from: its fields and the personal data kept beside them."""
    request = await load_request(conn, tenant, request_id)
    status = await status_by_request_id(conn, request_id)
    return {**request.details, **await personal_details(conn, str(status["contact_ref"]))}
