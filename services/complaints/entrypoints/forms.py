"""Reading a complaints page's form: a command or every fault at once, by field, in Indonesian."""

from __future__ import annotations

from fastapi import Request, UploadFile
from pydantic import BaseModel, ValidationError

from complaints.service_layer.handlers import Attachment
from shared.domain import DomainRuleBroken
from shared.files import MB, FileKind, MEDIA_TYPES, check_upload
from shared.http import field_errors

LABELS = {
    "category": "Jenis",
    "summary": "Isi",
    "name": "Nama",
    "email": "Email",
    "whatsapp": "Nomor WhatsApp",
    "contact": "Kontak",
    "request_code": "Kode lacak permohonan",
    "channel": "Diterima lewat",
    "kind": "Jenis pengaduan",
    "file": "Lampiran",
    "attachment": "Lampiran",
    "assignee": "Anggota tim",
    "answer": "Jawaban",
    "reason": "Keterangan",
    "tracking_code": "Kode lacak",
    "complaint_id": "Pengaduan",
    "permintaan": "Isian",
}
ATTACHMENT = FileKind("lampiran", frozenset({"pdf", "png", "jpeg"}), 5 * MB, "foto JPEG atau PNG, atau PDF")
FIELD_OF_FILE = {"file": "attachment"}


class FormRefused(Exception):
    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def refusal(field: str, rule: str) -> dict[str, str]:
    field = FIELD_OF_FILE.get(field, field)
    return {field: f"{LABELS.get(field, field)}: {rule}"}


def refused_by_rule(broken: DomainRuleBroken) -> FormRefused:
    return FormRefused(refusal(broken.field, broken.message))


async def form_of(request: Request) -> dict[str, str]:
    """The text fields, stripped; an empty one is as if not sent (optional fields stay None)."""
    form = await request.form()
    return {key: value.strip() for key, value in form.items() if isinstance(value, str) and value.strip()}


def command_of(model: type[BaseModel], fields: dict, ignore: tuple[str, ...] = ("csrf_token",)):
    data = {key: value for key, value in fields.items() if key not in ignore}
    try:
        return model.model_validate(data)
    except ValidationError as invalid:
        errors: dict[str, str] = {}
        for error in field_errors(invalid.errors()):
            errors |= refusal(error["field"], error["rule"])
        raise FormRefused(errors) from None
    except DomainRuleBroken as broken:
        raise refused_by_rule(broken) from None


async def attachment_of(upload: UploadFile | None) -> Attachment | None:
    """A photo or PDF judged by its content (a renamed text file is refused), or None when none was sent."""
    if upload is None or not upload.filename:
        return None
    content = await upload.read()
    try:
        detected = check_upload(ATTACHMENT, content)
    except DomainRuleBroken as broken:
        raise refused_by_rule(broken) from None
    return Attachment(upload.filename, MEDIA_TYPES[detected], content)
