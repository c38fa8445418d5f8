"""What intake's integration and end-to-end tests share: valid files, a valid request, row counts."""

from __future__ import annotations

import csv
import io
import itertools
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from pypdf import PdfWriter

TABLES = (
    "events",
    "contacts",
    "request_people",
    "request_status",
    "request_timeline",
    "notifications",
    "idempotency_keys",
)


def a_pdf() -> bytes:
    writer, out = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "Surat Permohonan Fasilitasi Video Conference"})
    writer.write(out)
    return out.getvalue()


def a_workbook() -> bytes:
    book, out = Workbook(), io.BytesIO()
    book.active.append(["Nama", "Jabatan", "Instansi"])
    book.active.append(["Budi Santoso", "Kepala Seksi", "Bappeda"])
    book.save(out)
    return out.getvalue()


def a_csv() -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows([["Nama", "Instansi"], ["Budi Santoso", "Bappeda"]])
    return out.getvalue().encode()


def _working_slots():
    """Tuesday-Thursday from five weeks ahead, at 08:00, 11:00 and 14:00: one slot per caller."""
    offset = itertools.count()
    while True:
        yield divmod(next(offset), 3)


_SLOTS = _working_slots()


def fresh_working_slot(zone: str) -> datetime:
    """A start no other request of this test run was given, so none finds every host account
    taken by the others (the end-to-end tests share one system)."""
    import holidays

    closed = holidays.country_holidays("ID", categories=("public", "government"))
    while True:
        day_number, hour_number = next(_SLOTS)
        week, weekday = divmod(day_number, 3)
        today = datetime.now(ZoneInfo(zone)).date()
        tuesday = today + timedelta(days=(1 - today.weekday()) % 7 + 7 * (5 + week))
        day = tuesday + timedelta(days=weekday)
        if day not in closed:
            return datetime(day.year, day.month, day.day, 8 + 3 * hour_number, 0, tzinfo=ZoneInfo(zone)).astimezone(
                timezone.utc
            )


def next_working_morning(zone: str, days_ahead: int = 10) -> datetime:
    """09:00 local on a Tuesday-Thursday at least `days_ahead` days from now, clear of holidays."""
    import holidays

    closed = holidays.country_holidays("ID", categories=("public", "government"))
    day = (datetime.now(ZoneInfo(zone)) + timedelta(days=days_ahead)).date()
    while day.weekday() not in (1, 2, 3) or day in closed:
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=ZoneInfo(zone)).astimezone(timezone.utc)


def a_request(zone: str = "Asia/Makassar", **changes) -> dict:
    starts = next_working_morning(zone)
    return {
        "agency": "Badan Perencanaan Pembangunan Daerah",
        "event_name": "Rapat Koordinasi RKPD",
        "contact": {"name": "Siti Rahma", "whatsapp": "081234567890", "email": "siti@example.go.id"},
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=2)).isoformat(),
        "online_only": False,
        "venue": "Ruang Rapat Bappeda",
        "expected_participants": 40,
        "leading_official": {"name": "Drs. Ahmad Yani", "position": "Sekretaris Daerah"},
        "speakers": [{"name": "Dr. Rina Wati", "institution": "Bappenas"}],
        "special_needs": ["recording"],
        "channel": "web_form",
    } | changes


async def row_counts(conn) -> dict[str, int]:
    return {table: await conn.fetchval(f"select count(*) from {table}") for table in TABLES}
