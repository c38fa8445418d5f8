"""The personal-data store: contact person, leading official's name, speakers (erasable, never in events)."""

from __future__ import annotations

import uuid

import asyncpg

from intake.domain.commands import Contact, LeadingOfficial, Speaker
from shared.notifications import Contacts, drop_pending
from shared.personal_data import ERASED

CONTACTS = Contacts(table="contacts", ref="contact_ref")


async def keep_contact(
    conn: asyncpg.Connection,
    tenant: str,
    contact: Contact,
    leading_official: LeadingOfficial | None = None,
    speakers: list[Speaker] = (),
) -> str:
    contact_ref = str(uuid.uuid4())
    await conn.execute(
        "insert into contacts (contact_ref, tenant, name, whatsapp, email) values ($1, $2, $3, $4, $5)",
        contact_ref,
        tenant,
        contact.name,
        contact.whatsapp or "",
        contact.email or "",
    )
    await keep_people(conn, contact_ref, leading_official, speakers)
    return contact_ref


async def keep_people(
    conn: asyncpg.Connection, contact_ref: str, leading_official: LeadingOfficial | None, speakers: list[Speaker]
) -> None:
    await conn.execute("delete from request_people where contact_ref = $1", contact_ref)
    rows = [(contact_ref, "speaker", i, s.name, s.institution) for i, s in enumerate(speakers)]
    if leading_official:
        rows.append((contact_ref, "leading_official", 0, leading_official.name, leading_official.position))
    await conn.executemany(
        "insert into request_people (contact_ref, role, ordinal, name, detail) values ($1, $2, $3, $4, $5)", rows
    )


async def update_contact(conn: asyncpg.Connection, contact_ref: str, contact: Contact) -> None:
    await conn.execute(
        "update contacts set name = $2, whatsapp = $3, email = $4 where contact_ref = $1",
        contact_ref,
        contact.name,
        contact.whatsapp or "",
        contact.email or "",
    )


async def personal_details(conn: asyncpg.Connection, contact_ref: str) -> dict:
    """`contact`, `leading_official` and `speakers` as the request's command carries them."""
    contact = await conn.fetchrow("select name, whatsapp, email from contacts where contact_ref = $1", contact_ref)
    people = await conn.fetch(
        "select role, name, detail from request_people where contact_ref = $1 order by role, ordinal", contact_ref
    )
    leading = [dict(name=p["name"], position=p["detail"]) for p in people if p["role"] == "leading_official"]
    return {
        "contact": dict(contact) if contact else None,
        "leading_official": leading[0] if leading else None,
        "speakers": [dict(name=p["name"], institution=p["detail"]) for p in people if p["role"] == "speaker"],
    }


async def contact_addresses(conn: asyncpg.Connection, contact_ref: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "select email, whatsapp from contacts where contact_ref = $1 and erased_at is null", contact_ref
    )


async def erase_person(conn: asyncpg.Connection, tenant: str, whatsapp: str | None, email: str | None) -> list[str]:
    """Make a contact person unreadable everywhere intake keeps them; returns their references."""
    refs = [
        str(r["contact_ref"])
        for r in await conn.fetch(
            "update contacts set name = $4, whatsapp = '', email = '', erased_at = now()"
            " where tenant = $1 and erased_at is null"
            " and (($2::text is not null and whatsapp = $2) or ($3::text is not null and lower(email) = lower($3)))"
            " returning contact_ref",
            tenant,
            whatsapp,
            email,
            ERASED,
        )
    ]
    await conn.execute(
        "update request_people set name = $2, detail = '' where contact_ref = any($1::uuid[])", refs, ERASED
    )
    await drop_pending(conn, refs, "data pribadi dihapus")
    return refs


async def contact_ref_of_request(conn: asyncpg.Connection, tenant: str, request_id: str) -> str | None:
    """The reference the request's submission carries (the event holds no personal data itself)."""
    return await conn.fetchval(
        "select envelope->'data'->>'contact_ref' from events where stream_id = 'request-' || $1"
        " and stream_version = 1 and tenant = $2",
        request_id,
        tenant,
    )
