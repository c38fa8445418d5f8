"""Bad input gets a message in Indonesian naming the field and the rule; nothing is stored.

Every refusal is answered twice over: a person (a browser asking for `text/html`, outside
`/api/`) gets a page on the site's layout with a way back; a program gets
`{"message", "errors"}` as JSON. No English reaches either: pydantic's and Starlette's own
messages are replaced by type and by status.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic_core import ErrorDetails
from starlette.exceptions import HTTPException

from shared.domain import DomainRuleBroken
from shared.eventstore import ConcurrencyError
from shared.web import SHARED, templates

_pages = templates(SHARED)
RULES_ID = {
    "missing": "wajib diisi",
    "string_too_short": "minimal {min_length} karakter",
    "string_too_long": "maksimal {max_length} karakter",
    "string_pattern_mismatch": "formatnya tidak sesuai",
    "too_short": "minimal {min_length} isian",
    "less_than_equal": "paling besar {le}",
    "datetime_parsing": "bukan tanggal dan waktu yang sah (contoh: 2026-12-01T09:00:00+07:00)",
    "datetime_from_date_parsing": "bukan tanggal dan waktu yang sah (contoh: 2026-12-01T09:00:00+07:00)",
    "date_parsing": "bukan tanggal yang sah (contoh: 2026-12-01)",
    "date_from_datetime_parsing": "bukan tanggal yang sah (contoh: 2026-12-01)",
    "int_parsing": "harus berupa bilangan bulat",
    "greater_than_equal": "paling kecil {ge}",
    "greater_than": "harus lebih dari {gt}",
    "literal_error": "bukan pilihan yang tersedia",
    "enum": "bukan pilihan yang tersedia",
    "bool_parsing": "harus ya atau tidak",
    "extra_forbidden": "tidak dikenal",
    "json_invalid": "JSON tidak sah",
    "json_type": "harus berupa JSON",
    "timezone_aware": "harus menyertakan zona waktu (contoh: 2026-12-01T09:00:00+07:00)",
    "timezone_naive": "tidak boleh menyertakan zona waktu",
    "datetime_type": "harus berupa tanggal dan waktu (contoh: 2026-12-01T09:00:00+07:00)",
    "date_type": "harus berupa tanggal (contoh: 2026-12-01)",
    "time_parsing": "bukan jam yang sah (contoh: 09:00)",
    "time_type": "harus berupa jam (contoh: 09:00)",
    "datetime_past": "harus waktu yang sudah lewat",
    "datetime_future": "harus waktu yang akan datang",
    "date_past": "harus tanggal yang sudah lewat",
    "date_future": "harus tanggal yang akan datang",
    "string_type": "harus berupa teks",
    "int_type": "harus berupa bilangan bulat",
    "int_from_float": "harus berupa bilangan bulat",
    "float_parsing": "harus berupa angka",
    "float_type": "harus berupa angka",
    "decimal_parsing": "harus berupa angka",
    "bool_type": "harus ya atau tidak",
    "list_type": "harus berupa daftar",
    "tuple_type": "harus berupa daftar",
    "set_type": "harus berupa daftar",
    "dict_type": "harus berupa objek",
    "model_type": "harus berupa objek",
    "model_attributes_type": "harus berupa objek",
    "too_long": "maksimal {max_length} isian",
    "less_than": "harus kurang dari {lt}",
    "multiple_of": "harus kelipatan {multiple_of}",
    "uuid_parsing": "bukan UUID yang sah",
    "uuid_type": "bukan UUID yang sah",
    "url_parsing": "bukan alamat tautan yang sah",
    "url_scheme": "bukan alamat tautan yang sah",
    "union_tag_invalid": "bukan jenis yang tersedia",
    "union_tag_not_found": "jenisnya wajib disebutkan",
    "assertion_error": "tidak memenuhi aturan",
    "none_required": "harus dikosongkan",
    "frozen_field": "tidak boleh diubah",
}
UNKNOWN_RULE = "isiannya tidak sah"
"""For a pydantic error type not listed above: still Indonesian, never pydantic's English."""
TITLES = {
    400: "Kiriman tidak dapat dibaca",
    401: "Silakan masuk",
    403: "Akses ditolak",
    404: "Halaman tidak ditemukan",
    405: "Tindakan tidak tersedia",
    409: "Data baru saja berubah",
    413: "Kiriman terlalu besar",
    422: "Isian belum benar",
    429: "Terlalu banyak permintaan",
    500: "Terjadi kesalahan pada sistem",
    503: "Layanan sedang tidak tersedia",
}
STATUS_MESSAGES = {
    400: "Isi kiriman tidak dapat dibaca: kirim JSON atau formulir yang sah.",
    404: "Alamat ini tidak ada. Periksa kembali tautannya, atau mulai dari beranda.",
    405: "Alamat ini tidak menerima tindakan tersebut.",
}
"""Starlette's own refusals carry English details; each status gets its Indonesian sentence."""
FieldError = dict[str, str]
"""`{"field", "rule"}`: one refusal as the API answers it and pages show it."""


def _field_name(loc: tuple[int | str, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "permintaan"


def _rule(error: ErrorDetails) -> str:
    if error["type"] == "value_error":
        return _own_rule(error)
    if error["type"] not in RULES_ID:  # a PydanticCustomError of ours: its message is ours too
        return error.get("msg") or UNKNOWN_RULE
    return RULES_ID[error["type"]].format(**error.get("ctx", {}))


def _own_rule(error: ErrorDetails) -> str:
    """A validator's own words (ours are Indonesian); email-validator's English becomes ours."""
    said = str(error.get("ctx", {}).get("error") or error.get("msg", "")).removeprefix("Value error, ")
    if "email address" in said:
        return "bukan alamat email yang sah"
    return said or UNKNOWN_RULE


def field_errors(errors: Sequence[ErrorDetails]) -> list[FieldError]:
    """pydantic's errors as `{"field", "rule"}` in Indonesian: what the API answers, for pages too."""
    return [{"field": _field_name(e["loc"]), "rule": _rule(e)} for e in errors]


def _message(errors: list[FieldError]) -> str:
    return "; ".join(f"Kolom '{e['field']}': {e['rule']}" for e in errors)


def wants_page(request: Request) -> bool:
    """A person's browser (it asks for HTML) outside the API; programs get JSON."""
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get("accept", "")


def problem(
    request: Request,
    status: int,
    message: str,
    errors: list[FieldError] | None = None,
    headers: Mapping[str, str] | None = None,
    allowed: str = "",
) -> Response:
    """The refusal as a page for a person, as `{"message", "errors"}` for a program."""
    if not wants_page(request):
        return JSONResponse({"message": message, "errors": errors or []}, status_code=status, headers=headers)
    user = (request.scope.get("session") or {}).get("user") or {}
    return _pages.TemplateResponse(
        request,
        "error.html",
        {
            "title": TITLES.get(status, "Permintaan tidak dapat diproses"),
            "message": message,
            "status": status,
            "errors": errors or [],
            "allowed": allowed,
            "user": user.get("id"),
            "sign_in": f"/login?next={request.url.path}" if status in (401, 403) else "",
        },
        status_code=status,
        headers=headers,
    )


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        errors = field_errors(exc.errors())
        return problem(request, 422, _message(errors), errors)

    @app.exception_handler(DomainRuleBroken)
    async def rule_broken(request: Request, exc: DomainRuleBroken) -> Response:
        errors = [{"field": exc.field, "rule": exc.message}]
        return problem(request, exc.status, _message(errors), errors)

    @app.exception_handler(ConcurrencyError)
    async def changed_meanwhile(request: Request, exc: ConcurrencyError) -> Response:
        return problem(request, 409, "Data ini baru saja diubah oleh petugas lain. Muat ulang dan periksa kembali.")

    @app.exception_handler(HTTPException)
    async def refused_by_framework(request: Request, exc: HTTPException) -> Response:
        message = STATUS_MESSAGES.get(exc.status_code, f"Permintaan tidak dapat diproses (kode {exc.status_code}).")
        return problem(request, exc.status_code, message, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def failed(request: Request, exc: Exception) -> Response:
        reference = getattr(request.state, "correlation_id", "")
        return problem(
            request,
            500,
            "Maaf, terjadi kesalahan pada sistem; tindakan Anda mungkin belum tersimpan."
            f" Coba lagi sebentar lagi. Bila berulang, sampaikan kode ini kepada admin dinas: {reference}.",
        )
