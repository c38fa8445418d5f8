"""Intake's use cases: submit, amend, reschedule and withdraw a request, and follow other services."""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg

from intake.adapters.contacts import keep_contact
from intake.adapters.documents import attach_documents
from intake.adapters.status import add_to_timeline, open_status, progress_of_request
from intake.domain.commands import RescheduleRequest, SubmitRequest
from intake.domain.request import Request
from intake.domain.rules import PARTICIPANT_LIST, check_details, check_schedule
from shared.tracking import new_tracking_code
from intake.service_layer.notices import notify_contact
from intake.service_layer.progress import progress_of
from shared.clock import utc_now
from shared.events.contracts import RequestSubmitted, SurveyInvited
from shared.eventstore import Causation
from shared.eventstore.aggregate import load_existing, save
from shared.messaging import Delivery, Selective
from shared.tenants import TenantProfile

SCHEMA = "intake"


def submitted_event(command: SubmitRequest, contact_ref: str, at: datetime) -> RequestSubmitted:
    documents = dict(command.documents)
    participant_list_ref = documents.pop(PARTICIPANT_LIST, None)
    official = command.leading_official
    return RequestSubmitted(
        request_id=str(uuid.uuid4()),
        tracking_code=new_tracking_code(),
        contact_ref=contact_ref,
        submitted_at=at,
        letter_ref=documents.get("request_letter"),
        document_refs=documents,
        participant_list_ref=participant_list_ref,
        speaker_count=len(command.speakers),
        leading_official_position=official.position if official else None,
        special_needs=command.special_needs or [],
        **command.model_dump(exclude={"contact", "documents", "leading_official", "speakers", "special_needs"}),
    )


async def submit_request(
    conn: asyncpg.Connection,
    profile: TenantProfile,
    command: SubmitRequest,
    correlation_id: str,
    public_url: str = "",
    at: datetime | None = None,
) -> RequestSubmitted:
    at = at or utc_now()
    check_schedule(profile, command.starts_at, command.ends_at, at)
    check_details(profile, command)
    contact_ref = await keep_contact(conn, profile.id, command.contact, command.leading_official, command.speakers)
    submitted = submitted_event(command, contact_ref, at)
    await attach_documents(conn, profile.id, submitted.request_id, command.documents)
    request = Request.submit(profile.id, submitted)
    [envelope] = await save(conn, SCHEMA, request, Causation(correlation_id))
    await open_status(conn, profile.id, envelope.id, submitted)
    await notify_contact(conn, profile, submitted.request_id, envelope.id, "submitted", "", public_url)
    return submitted


async def load_request(conn: asyncpg.Connection, tenant: str, request_id: str) -> Request:
    return await load_existing(
        conn, Request, request_id, tenant, field="request_id", missing="permohonan tidak ditemukan"
    )


async def reschedule_request(
    conn: asyncpg.Connection,
    profile: TenantProfile,
    request_id: str,
    command: RescheduleRequest,
    correlation_id: str,
    public_url: str = "",
    at: datetime | None = None,
) -> None:
    at = at or utc_now()
    request = await load_request(conn, profile.id, request_id)
    progress, _ = await progress_of_request(conn, request_id)
    request.reschedule(command.starts_at, command.ends_at, command.reason, at, progress)
    check_schedule(profile, command.starts_at, command.ends_at, at)
    [envelope] = await save(conn, SCHEMA, request, Causation(correlation_id))
    await record_change(
        conn,
        profile,
        request_id,
        envelope.id,
        "rescheduled",
        at,
        command.reason,
        public_url,
        starts_at=command.starts_at,
        ends_at=command.ends_at,
    )


async def withdraw_request(
    conn: asyncpg.Connection,
    profile: TenantProfile,
    request_id: str,
    reason: str,
    correlation_id: str,
    public_url: str = "",
    at: datetime | None = None,
) -> None:
    at = at or utc_now()
    request = await load_request(conn, profile.id, request_id)
    progress, _ = await progress_of_request(conn, request_id)
    request.withdraw(reason, at, progress)
    [envelope] = await save(conn, SCHEMA, request, Causation(correlation_id))
    await record_change(conn, profile, request_id, envelope.id, "withdrawn", at, reason, public_url)


async def record_change(
    conn: asyncpg.Connection,
    profile: TenantProfile,
    request_id: str,
    event_id: str,
    status: str,
    at: datetime,
    note: str,
    public_url: str,
    **details,
) -> None:
    await add_to_timeline(conn, request_id, event_id, status=status, at=at, note=note, **details)
    await notify_contact(conn, profile, request_id, event_id, status, note, public_url)


def follow_progress(tenants: dict[str, TenantProfile], public_url: str, survey_url: str = ""):
    """Show another service's step on the requester's timeline, and tell the contact person;
    a survey invitation is only told (it changes nothing about the request)."""

    async def handle(conn: asyncpg.Connection, delivery: Delivery) -> None:
        if isinstance(delivery.event, SurveyInvited):
            return await invite_to_survey(conn, tenants.get(delivery.envelope.tenant), delivery, survey_url, public_url)
        step = progress_of(delivery.event)
        if step is None:
            return
        known = await add_to_timeline(
            conn, delivery.event.request_id, delivery.envelope.id, at=delivery.envelope.time, **step
        )
        profile = tenants.get(delivery.envelope.tenant)
        if known and profile is not None:
            await notify_contact(
                conn,
                profile,
                delivery.event.request_id,
                delivery.envelope.id,
                step["status"],
                step.get("note", ""),
                public_url,
            )

    return Selective(handle, lambda event: isinstance(event, SurveyInvited) or progress_of(event) is not None)


async def invite_to_survey(
    conn: asyncpg.Connection, profile: TenantProfile | None, delivery: Delivery, survey_url: str, public_url: str
) -> None:
    if profile is None:
        return
    link = f"{survey_url.rstrip('/')}/t/{profile.id}/survei/{delivery.event.token}"
    note = f"Mohon isi survei kepuasan layanan kami (satu kali, kurang dari 2 menit): {link}"
    await notify_contact(conn, profile, delivery.event.request_id, delivery.envelope.id, "survey", note, public_url)
