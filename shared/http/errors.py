"""Bad input gets a message in Indonesian naming the field and the rule; nothing is stored."""
from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from shared.domain import DomainRuleBroken
from shared.eventstore import ConcurrencyError

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
}


def _field_name(loc: tuple) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "permintaan"


def _rule(error: dict) -> str:
    if error["type"] == "value_error" and str(error["loc"][-1]).endswith("email"):
        return "bukan alamat email yang sah"
    if error["type"] == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"]))
    template = RULES_ID.get(error["type"])
    return template.format(**error.get("ctx", {})) if template else error["msg"]


def field_errors(errors: list[dict]) -> list[dict[str, str]]:
    """pydantic's errors as `{"field", "rule"}` in Indonesian: what the API answers, for pages too."""
    return [{"field": _field_name(e["loc"]), "rule": _rule(e)} for e in errors]


def _body(errors: list[dict]) -> dict:
    message = "; ".join(f"Kolom '{e['field']}': {e['rule']}" for e in errors)
    return {"message": message, "errors": errors}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError):
        return JSONResponse(_body(field_errors(exc.errors())), status_code=422)

    @app.exception_handler(DomainRuleBroken)
    async def rule_broken(request: Request, exc: DomainRuleBroken):
        return JSONResponse(_body([{"field": exc.field, "rule": exc.message}]), status_code=exc.status)

    @app.exception_handler(ConcurrencyError)
    async def changed_meanwhile(request: Request, exc: ConcurrencyError):
        message = "Data ini baru saja diubah oleh petugas lain. Muat ulang dan periksa kembali."
        return JSONResponse({"message": message, "errors": []}, status_code=409)
