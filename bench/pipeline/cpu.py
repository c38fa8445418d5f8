"""CPU seconds used by a process and its descendants (PostgreSQL's backends, say), from /proc."""

from __future__ import annotations

import os
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return text[text.rindex(")") + 2 :].split()  # the name may hold spaces; fields after it do not


def _parents() -> dict[int, int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))):
            parents[int(entry.name)] = int(fields[1])
    return parents


def tree_cpu_seconds(root: int) -> float:
    """User plus system time of `root` and every live descendant, and of descendants already
    reaped by them (their `cutime`/`cstime`)."""
    parents, tree, total = _parents(), {root}, 0.0
    grown = True
    while grown:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= more
        grown = bool(more)
    for pid in tree:
        if fields := _stat(pid):
            total += sum(int(value) for value in fields[11:15]) / TICKS  # utime stime cutime cstime
    return total
