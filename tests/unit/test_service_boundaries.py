"""Each service is its own bounded context: no imports across services; domain code stays pure."""

import ast
from pathlib import Path

import pytest

from shared.config import REPO_ROOT, SERVICES

INFRASTRUCTURE = ("asyncpg", "nats", "faststream", "fastapi", "httpx")


def modules(service: str, sub: str = "") -> list[Path]:
    root = REPO_ROOT / "services" / service / sub
    return sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)


def imported_packages(path: Path) -> set[str]:
    """Top-level package of every absolute import in the file (relative imports stay inside)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    packages = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            packages |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            packages.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module":
            if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                packages.add(node.args[0].value.split(".")[0])
    return packages


def test_every_service_has_code_and_a_domain_to_check():
    for service in SERVICES:
        assert modules(service), service
        assert modules(service, "domain"), f"{service} has no domain/ modules"


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_imports_no_other_service(service):
    others = set(SERVICES) - {service}
    crossings = {
        f"{path.relative_to(REPO_ROOT)} imports {sorted(imported_packages(path) & others)}"
        for path in modules(service)
        if imported_packages(path) & others
    }

    assert crossings == set()


@pytest.mark.parametrize("service", SERVICES)
def test_domain_modules_import_no_infrastructure(service):
    offenders = {
        f"{path.relative_to(REPO_ROOT)} imports {sorted(imported_packages(path) & set(INFRASTRUCTURE))}"
        for path in modules(service, "domain")
        if imported_packages(path) & set(INFRASTRUCTURE)
    }

    assert offenders == set()


def test_the_import_scanner_sees_the_imports_that_matter(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import asyncpg\nimport nats.js\nfrom approval.domain.case import ApprovalCase\n"
        "from . import sibling\nimport importlib\nimportlib.import_module('intake.bootstrap')\n"
        "def f():\n    from fastapi import FastAPI\n"
    )

    assert imported_packages(sample) == {"asyncpg", "nats", "approval", "importlib", "intake", "fastapi"}


@pytest.mark.parametrize(
    "module",
    [
        "intake.domain.request",
        "intake.domain.commands",
        "approval.domain.case",
        "provisioning.domain.meeting",
        "complaints.domain.complaint",
        "reporting.domain.usage",
    ],
)
def test_a_domain_model_loads_without_any_io_library(module):
    """Reading the SOP's rules must not drag in a database, broker or web framework."""
    import subprocess
    import sys

    probe = (
        f"import sys, {module}; "
        "print(sorted(m for m in ('asyncpg', 'nats', 'faststream', 'fastapi', 'httpx') if m in sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"
