"""Writes the published contracts: JSON Schema per event and an AsyncAPI 3 document per service,
and the public feed's own (contracts/public/: its schemas, which never change once written, and
its AsyncAPI document).

    python -m shared.contracts          # rewrite contracts/
    python -m shared.contracts --check  # exit 1 when contracts/ differs from the code
"""

from __future__ import annotations

import importlib
from pathlib import Path

import yaml
from faststream.specification import AsyncAPI

from shared.config import REPO_ROOT, SERVICES, Settings
from shared.events.public.schemas import public_asyncapi, public_schemas, refuse_changed
from shared.events.schemas import json_schemas
from shared.runtime import Runtime, ServiceSpec, build_broker

CONTRACTS = REPO_ROOT / "contracts"
PUBLIC = CONTRACTS / "public"


def asyncapi_document(spec: ServiceSpec) -> str:
    """The AsyncAPI 3 document of one service (`ServiceSpec`), as YAML; each service also serves it."""
    # Not this process's own NATS identity: the document is the same wherever it is served.
    settings = Settings(nats_url="nats://nats:4222", nats_creds=None, nats_user=None, nats_password=None)
    broker = build_broker(Runtime(spec, settings))
    document = AsyncAPI(
        broker,
        title=spec.title,
        version="1",
        schema_version="3.0.0",
        description=f"Peristiwa yang diterbitkan dan didengarkan layanan {spec.name}.",
    )
    # FastStream's channel order varies between runs: sort keys so the file is stable.
    content = yaml.safe_load(document.to_specification().to_yaml())
    return yaml.safe_dump(content, sort_keys=True, allow_unicode=True)


def asyncapi_documents() -> dict[str, str]:
    return {f"{name}.yaml": asyncapi_document(importlib.import_module(f"{name}.bootstrap").SPEC) for name in SERVICES}


def expected_files() -> dict[Path, str]:
    files = {CONTRACTS / "schemas" / n: text for n, text in json_schemas().items()}
    files |= {CONTRACTS / "asyncapi" / n: text for n, text in asyncapi_documents().items()}
    files |= {PUBLIC / n: text for n, text in public_schemas().items()}
    files[PUBLIC / "asyncapi.yaml"] = public_asyncapi()
    return files


def drifted() -> list[str]:
    """Files in contracts/ that are missing, stale, or no longer produced by the code."""
    expected = expected_files()
    present = set(CONTRACTS.glob("*/*"))
    stale = [p for p, text in expected.items() if not p.exists() or p.read_text() != text]
    extra = [p for p in present if p not in expected]
    return sorted(str(p.relative_to(REPO_ROOT)) for p in stale + extra)


def write() -> None:
    refuse_changed({p.name: p.read_text() for p in PUBLIC.glob("*.json")}, public_schemas())
    for stale in set(CONTRACTS.glob("*/*")) - set(expected_files()):
        stale.unlink()
    for path, text in expected_files().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


if __name__ == "__main__":
    import typer

    from shared.cli.generated import contracts

    typer.run(contracts)  # also `vidcon contracts [--check]`
