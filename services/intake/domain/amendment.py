"""Perbaikan permohonan: which fields an amendment changed, without putting personal data in the event."""

from __future__ import annotations

from typing import Any
from intake.domain.commands import RequestDetails

PERSONAL = ("contact", "leading_official", "speakers")
CHANGE_NAMES = {
    "agency": "instansi pemohon",
    "event_name": "nama kegiatan",
    "agenda": "agenda",
    "online_only": "daring atau luring",
    "venue": "lokasi kegiatan",
    "letter_number": "nomor surat",
    "letter_date": "tanggal surat",
    "expected_participants": "jumlah peserta",
    "special_needs": "kebutuhan khusus",
    "equipment": "peralatan",
    "documents": "berkas",
    "contact": "kontak person",
    "leading_official": "pejabat yang memimpin",
    "speakers": "narasumber",
}
"""What the requester reads in the timeline and the message for each changed field."""
DETAILS_IN_EVENTS = (
    "agency",
    "event_name",
    "agenda",
    "online_only",
    "venue",
    "letter_number",
    "letter_date",
    "expected_participants",
    "special_needs",
    "equipment",
    "documents",
)


def amended(current: dict[str, Any], patch: dict[str, Any]) -> RequestDetails:
    """The request as it reads after the patch; documents given replace only their own kinds."""
    documents = {**current.get("documents", {}), **(patch.get("documents") or {})}
    return RequestDetails.model_validate(current | patch | {"documents": documents})


def changed_fields(before: RequestDetails, after: RequestDetails) -> dict[str, object]:
    """New values of changed fields; a changed personal field is named with no value (it stays in intake)."""
    old, new = before.model_dump(mode="json"), after.model_dump(mode="json")
    changes: dict[str, object] = {name: new[name] for name in DETAILS_IN_EVENTS if old[name] != new[name]}
    for name in PERSONAL:
        if old[name] != new[name]:
            changes[name] = None
    if "leading_official" in changes:
        changes["leading_official_position"] = after.leading_official.position if after.leading_official else None
    if "speakers" in changes:
        changes["speaker_count"] = len(after.speakers)
    return changes


def changes_in_words(changes: dict[str, Any]) -> str:
    """`berkas, lokasi kegiatan`: the changed fields as the requester reads them (no derived ones)."""
    return ", ".join(sorted(CHANGE_NAMES[name] for name in changes if name in CHANGE_NAMES))
