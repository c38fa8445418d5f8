"""scripts/check, which scripts/test runs before pytest (and so CI): a planted violation fails it.

Each case copies the checks' configuration (pyproject.toml) and scripts/check into a tiny tree
with one shared module and one domain module, plants one violation and runs the same command.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CLEAN = '"""A tiny module."""\n\n\ndef twice(number: int) -> int:\n    return number * 2\n'
PLANTED = {
    "unused import (ruff check)": "import os\n" + CLEAN,
    "unformatted (ruff format --check)": CLEAN.replace("number * 2", "number*2"),
    "type error (mypy, shared/)": CLEAN.replace("return number * 2", 'return "twice"'),
    "untyped function (mypy strict)": CLEAN + "\n\ndef untyped(value):\n    return value\n",
}


def tiny_tree(root: Path, shared_module: str, domain_module: str = CLEAN) -> Path:
    (root / "scripts").mkdir(parents=True)
    shutil.copy(REPO / "scripts" / "check", root / "scripts" / "check")
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    for package, text in (
        ("shared", shared_module),
        ("services/intake", CLEAN),
        ("services/intake/domain", domain_module),
    ):
        (root / package).mkdir(parents=True, exist_ok=True)
        (root / package / "__init__.py").write_text("")
        (root / package / "tiny.py").write_text(text)
    return root


def check(root: Path) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "PYTHON": sys.executable, "MYPY_CACHE_DIR": str(root / ".mypy_cache")}
    return subprocess.run(
        [str(root / "scripts" / "check")], cwd=root, env=env, capture_output=True, text=True, timeout=300
    )


def test_scripts_test_runs_the_checks_before_pytest():
    lines = (REPO / "scripts" / "test").read_text().splitlines()
    assert lines.index("scripts/check") < next(i for i, line in enumerate(lines) if "pytest" in line)


def test_a_clean_tree_passes(tmp_path):
    done = check(tiny_tree(tmp_path, CLEAN))
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("planted", PLANTED, ids=list(PLANTED))
def test_a_planted_violation_in_shared_fails(tmp_path, planted):
    done = check(tiny_tree(tmp_path, PLANTED[planted]))
    assert done.returncode != 0
    assert "shared/tiny.py" in done.stdout + done.stderr


def test_a_type_error_in_a_domain_fails(tmp_path):
    done = check(tiny_tree(tmp_path, CLEAN, domain_module=PLANTED["type error (mypy, shared/)"]))
    assert done.returncode != 0
    assert "services/intake/domain/tiny.py" in done.stdout + done.stderr
