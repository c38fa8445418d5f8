"""The action forms of the request page, read into the same bodies the JSON API takes."""

from __future__ import annotations

from pydantic import BaseModel
from starlette.datastructures import FormData

from approval.entrypoints.bodies import Approval, Assignment, Disposition, Rejection, Return, Verification

BODIES: dict[str, type[BaseModel]] = {
    "verify": Verification,
    "dispose": Disposition,
    "approve": Approval,
    "return": Return,
    "reject": Rejection,
    "reassign": Assignment,
}
LISTS = ("checked", "missing")
FIELD_NAMES = {
    "reason": "alasan",
    "to": "petugas tujuan",
    "note": "catatan",
    "addressee": "tujuan disposisi",
    "role": "peran",
    "version": "versi",
}


def body_of(action: str, form: FormData) -> BaseModel:
    """Raises pydantic's ValidationError for a form the body refuses."""
    model = BODIES[action]
    fields = {name: form.get(name) for name in model.model_fields if name not in LISTS and form.get(name)}
    fields |= {name: form.getlist(name) for name in LISTS if name in model.model_fields}
    if "signed" in model.model_fields:
        fields["signed"] = form.get("signed") == "ya" or form.get("needs_signature") != "ya"
    return model.model_validate(fields)


def refusal_of(error) -> str:
    """A pydantic refusal in words an official reads."""
    first = error.errors()[0]
    name = FIELD_NAMES.get(str(first["loc"][0]), str(first["loc"][0])) if first["loc"] else "formulir"
    if first["type"] in ("missing", "string_too_short"):
        return f"Isian '{name}' wajib diisi dengan jelas."
    return f"Isian '{name}' tidak dapat diterima."
