"""The requests behind a number: the evaluation page's links, read back as filters."""

from __future__ import annotations

from reporting.domain.register import outcome
from reporting.entrypoints import labels

FILTER_WORDS = {
    "hasil": ("Hasil", labels.OUTCOMES),
    "instansi": ("Instansi", {}),
    "saluran": ("Saluran", labels.CHANNELS),
    "platform": ("Platform", labels.PLATFORMS),
    "gagal": ("Gagal", labels.FAILURES),
    "dikembalikan": ("Pernah dikembalikan", {"1": "ya"}),
    "dijadwalkan_ulang": ("Dijadwalkan ulang", {"1": "ya"}),
}
FILTERS = tuple(FILTER_WORDS)


def described(filters: dict[str, str], evaluation, step: str | None, on_time: str | None) -> list[tuple[str, str]]:
    """What the list is filtered by, in words."""
    shown = []
    for name, value in filters.items():
        title, codes = FILTER_WORDS[name]
        shown.append((title, labels.label(codes, value)))
    if step:
        names = {s.step: s.name for s in [*evaluation.steps, evaluation.overall]}
        timing = {"ya": " (tepat waktu)", "tidak": " (terlambat)"}.get(on_time or "", "")
        shown.append(("Langkah", names.get(step, step) + timing))
    return shown


def matching(register: list[dict], filters: dict[str, str]) -> list[dict]:
    """The register rows a number on the evaluation page stands for."""
    fields = {
        "hasil": "outcome",
        "instansi": "agency",
        "saluran": "channel",
        "gagal": "failure_reason",
        "platform": "provider",
    }
    keep = register
    for name, value in filters.items():
        if name in fields:
            keep = [row for row in keep if (row.get(fields[name]) or "-") == value]
        elif name == "dikembalikan":
            keep = [row for row in keep if row["returned"]]
        elif name == "dijadwalkan_ulang":
            keep = [row for row in keep if row["rescheduled"]]
    return keep


def behind_step(evaluation, found, step: str, on_time: str | None) -> list[dict]:
    timed = next((s for s in [*evaluation.steps, evaluation.overall] if s.step == step), None)
    if timed is None:
        return []
    wanted = {r["request_id"]: r for r in timed.rows if on_time is None or r["met"] == (on_time == "ya")}
    by_id = {row["request_id"]: row for row in found.requests}
    return [by_id[i] | {"outcome": outcome(by_id[i]), "timing": t} for i, t in wanted.items() if i in by_id]
