"""The request form's fields as a browser sends them, turned into a command, and errors put back by field."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from starlette.datastructures import FormData, UploadFile

from intake.domain.documents import KINDS
from intake.domain.rules import PARTICIPANT_LIST, REQUIRED_FIELDS, service_hours
from shared.tenants import TenantProfile

SPECIAL_NEEDS = {
    "breakout_rooms": "Ruang diskusi kelompok (breakout room)",
    "recording": "Perekaman",
    "live_streaming": "Siaran langsung (live streaming)",
    "polling": "Jajak pendapat (polling)",
    "equipment": "Peminjaman peralatan",
}
CHANNELS = {
    "web_form": "Formulir web",
    "official_letter": "Surat resmi",
    "request_form": "Formulir permintaan (FPVC)",
    "srikandi": "SRIKANDI",
    "spbe_portal": "Portal SPBE",
}
TEXT_FIELDS = ("agency", "event_name", "agenda", "venue", "letter_number")
PLACES = {
    "contact": "contact_name",
    "leading_official": "leading_official_name",
    "participants": "expected_participants",
    "documents": "request_letter",
    "request": "form",
}


def letter_kinds(profile: TenantProfile) -> list[str]:
    """The signed letter always, and each other document the tenant requires (e.g. Tangerang's FPVC)."""
    required = [d.id for d in profile.required_documents if d.id in KINDS and d.id != PARTICIPANT_LIST]
    return ["request_letter", *[kind for kind in required if kind != "request_letter"]]


def uploaded_files(form: FormData, kinds: list[str]) -> dict[str, UploadFile]:
    """Files the browser sent with content; an untouched file input sends an empty part without a name."""
    files = {kind: form.get(kind) for kind in kinds}
    return {kind: file for kind, file in files.items() if isinstance(file, UploadFile) and file.filename}


def kept_refs(form: FormData, kinds: list[str]) -> dict[str, str]:
    """The uploads a refused form kept, sent back in hidden inputs `kept_<kind>`."""
    refs = {kind: (form.get(f"kept_{kind}") or "").strip() for kind in kinds}
    return {kind: ref for kind, ref in refs.items() if ref}


def details_from(form: FormData) -> dict:
    """What every form (submit and amend) shares; empty optional fields are absent, not empty strings."""
    data: dict = {name: form.get(name, "").strip() or None for name in TEXT_FIELDS}
    data["agenda"] = data["agenda"] or ""
    data["contact"] = {
        "name": form.get("contact_name", ""),
        "whatsapp": form.get("contact_whatsapp", "").strip(),
        "email": form.get("contact_email", "").strip(),
    }
    data["online_only"] = form.get("online_only") == "1"
    data["letter_date"] = form.get("letter_date") or None
    data["expected_participants"] = form.get("expected_participants") or None
    data["equipment"] = lines(form.get("equipment", ""))
    return data


def submission_from(form: FormData, zone: str) -> dict:
    data = details_from(form)
    official = {"name": form.get("leading_official_name", ""), "position": form.get("leading_official_position", "")}
    data["leading_official"] = official if any(v.strip() for v in official.values()) else None
    data["speakers"] = [speaker(line) for line in lines(form.get("speakers", ""))]
    data["special_needs"] = [need for need in form.getlist("special_needs") if need in SPECIAL_NEEDS]
    data["starts_at"] = local_moment(form.get("date"), form.get("start_time"), zone)
    data["ends_at"] = local_moment(form.get("date"), form.get("end_time"), zone)
    data["channel"] = form.get("channel") or "web_form"
    return {name: value for name, value in data.items() if value is not None}


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def speaker(line: str) -> dict:
    """`Nama, Instansi` on one line."""
    name, _, institution = line.partition(",")
    return {"name": name.strip(), "institution": institution.strip()}


def local_moment(day: str | None, hour: str | None, zone: str) -> str | None:
    try:
        moment = datetime.combine(date.fromisoformat(day or ""), time.fromisoformat(hour or ""), ZoneInfo(zone))
    except ValueError:
        return None
    return moment.isoformat()


def place(field: str) -> str:
    """The form input an error belongs next to: `contact.email` -> `contact_email`, `speakers.2.name` -> `speakers`."""
    parts = field.split(".")
    if parts[0] in ("contact", "leading_official") and len(parts) > 1:
        return f"{parts[0]}_{parts[1]}"
    if parts[0] == "documents" and len(parts) > 1:
        return parts[1]
    if parts[0] in ("starts_at", "ends_at"):
        return {"starts_at": "start_time", "ends_at": "end_time"}[parts[0]]
    return PLACES.get(parts[0], parts[0])


def by_place(errors: list[dict]) -> dict[str, list[str]]:
    placed: dict[str, list[str]] = {}
    for error in errors:
        placed.setdefault(place(error["field"]), []).append(for_people(error["rule"]))
    return placed


def for_people(rule: str) -> str:
    """The API's messages name fields for programs, e.g. "(starts_at)"; the page shows the field itself."""
    return rule.replace(" (starts_at)", "")


def hints(profile: TenantProfile) -> dict:
    """The tenant's requirements, shown before anyone types: required fields, documents, lead time, hours."""
    return {
        "fields": [REQUIRED_FIELDS[f][1] for f in profile.required_fields if f in REQUIRED_FIELDS],
        "documents": [d.name for d in profile.required_documents],
        "lead_days": profile.lead_time.days,
        "hours": service_hours(profile),
        "required": required_inputs(profile),
    }


def required_inputs(profile: TenantProfile) -> set[str]:
    required = {place(REQUIRED_FIELDS[f][0]) for f in profile.required_fields if f in REQUIRED_FIELDS}
    return required | ({"date"} if required & {"start_time", "end_time"} else set())


def amendment_from(form: FormData, staff: bool) -> dict:
    """The amend form: a cleared required text stays empty (and is refused), not absent (and unchanged)."""
    data = details_from(form)
    data["event_name"] = data["event_name"] or ""
    if staff:
        data["agency"] = data["agency"] or ""
    else:
        data.pop("agency")
    return data


def form_values(details: dict) -> dict:
    """A request's current details as the amend form's inputs show them."""
    contact = details.get("contact") or {}
    values = {name: details.get(name) or "" for name in (*TEXT_FIELDS, "letter_date", "expected_participants")}
    values |= {f"contact_{key}": contact.get(key, "") for key in ("name", "whatsapp", "email")}
    values["online_only"] = "1" if details.get("online_only") else ""
    values["equipment"] = "\n".join(details.get("equipment") or [])
    return values
