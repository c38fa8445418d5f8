import asyncio
import shutil
import tempfile
from pathlib import Path

import pytest

from shared.embedded import free_port
from shared.launcher import System
from tests.auth import access_token
from tests.e2e.identity import HEADERS


@pytest.fixture(scope="session")
def system(servers, database_url, identity_issuer):
    """The five services, each on NATS as its own user with its production permissions, behind the
    gateway (`system.address`) as people reach them; `system.url(service)` is a service's own port.
    They write their finished spans to one file (`VIDCON_TRACE_FILE`, tests/e2e/test_traces.py)."""
    nats = servers[0]
    logs = Path(tempfile.mkdtemp(prefix="vidcon-e2e-"))
    running = System(
        nats.url,
        database_url,
        logs,
        nats_passwords=nats.passwords,
        oidc_issuer=identity_issuer,
        gateway_port=free_port(),
        extra_env={"VIDCON_TRACE_FILE": str(logs / "spans.jsonl")},
    ).start()
    HEADERS["requester@kaltara"] = asyncio.run(_bearer(identity_issuer, "requester@kaltara"))
    yield running
    running.stop()
    import os

    if not os.environ.get("KEEP_LOGS"):
        shutil.rmtree(logs, ignore_errors=True)


@pytest.fixture(scope="session")
async def as_user(system):
    """`await as_user("leader@kaltara")` -> headers with a real bearer token for that demo user."""
    from tests.auth import access_token

    tokens: dict[str, str] = {}

    async def headers(sub: str) -> dict[str, str]:
        if sub not in tokens:
            tokens[sub] = await access_token(system.oidc_issuer, sub)
        return {"Authorization": f"Bearer {tokens[sub]}"}

    return headers


async def _bearer(issuer: str, sub: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {await access_token(issuer, sub)}"}
