"""The personal-data store for contact persons (outside the event history, erasable)."""
from __future__ import annotations

import uuid

import asyncpg

from intake.domain.commands import Contact


async def keep_contact(conn: asyncpg.Connection, tenant: str, contact: Contact) -> str:
    contact_ref = str(uuid.uuid4())
    await conn.execute(
        "insert into contacts (contact_ref, tenant, name, whatsapp, email) values ($1, $2, $3, $4, $5)",
        contact_ref, tenant, contact.name, contact.whatsapp, contact.email,
    )
    return contact_ref
