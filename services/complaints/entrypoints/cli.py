"""Complaints' commands: a paper survey typed into a spreadsheet, recorded as responses."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, datetime, time
from pathlib import Path

from complaints.service_layer.surveys import record_paper_survey
from shared.config import Settings
from shared.db import create_pool, migrate
from shared.satisfaction import read_survey_sheet
from shared.tenants import load_tenants


def import_paper_survey(file: Path, tenant: str, filled_on: date) -> int:
    """Read the sheet (refused whole at its first fault) and record its responses in one transaction."""
    settings = Settings()
    profile = load_tenants(settings.vidcon_tenants_dir).get(tenant)
    if profile is None:
        raise ValueError(f"dinas '{tenant}' tidak terdaftar")
    responses = read_survey_sheet(file)
    at = datetime.combine(filled_on, time(12), tzinfo=profile.calendar().zone)
    return asyncio.run(_record(settings, tenant, responses, at))


async def _record(settings: Settings, tenant: str, responses: list[dict[str, int]], at: datetime) -> int:
    await asyncio.to_thread(migrate, settings.database_url, "complaints", Path(__file__).parent.parent / "migrations")
    pool = await create_pool(settings.database_url, "complaints")
    try:
        async with pool.acquire() as conn, conn.transaction():
            return await record_paper_survey(conn, tenant, responses, at, f"paper-survey-{uuid.uuid4()}")
    finally:
        await pool.close()
