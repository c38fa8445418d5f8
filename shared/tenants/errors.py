"""TenantProfileError and the file-and-field wording of its problems."""

from collections.abc import Iterable
from pathlib import Path

from pydantic import ValidationError
from pydantic_core import ErrorDetails

Location = tuple[int | str, ...]


class TenantProfileError(ValueError):
    """One or more tenant profiles are invalid; `problems` lists every one."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        heading = f"{count} problem{'s' if count != 1 else ''} in tenant profiles:"
        super().__init__("\n".join([heading, *(f"  {problem}" for problem in self.problems)]))


def field_path(location: Location) -> str:
    """('approval_steps', 1, 'standard', 'amount') -> 'approval_steps[1].standard.amount'."""
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else f".{part}" if path else str(part)
    return path


def problem(source: Path | str, location: Location, message: str) -> str:
    where = f"{source}: {field_path(location)}" if location else f"{source}"
    return f"{where}: {message}"


def validation_problems(source: Path | str, error: ValidationError) -> list[str]:
    return [problem(source, detail["loc"], _message(detail)) for detail in error.errors()]


def _message(detail: ErrorDetails) -> str:
    context = detail.get("ctx", {})
    kind = detail["type"]
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "missing":
        return "required key is missing"
    if kind == "greater_than":
        return f"must be > {context['gt']}"
    if kind == "greater_than_equal":
        return f"must be >= {context['ge']}"
    if kind == "enum":
        return f"{detail['input']!r} is not one of {context['expected']}"
    if kind == "string_pattern_mismatch":
        return f"{detail['input']!r} must match {context['pattern']}"
    return detail["msg"].removeprefix("Value error, ")
