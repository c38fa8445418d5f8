import shutil
import tempfile
from pathlib import Path

import pytest

from shared.launcher import System


@pytest.fixture(scope="session")
def system(nats_url, database_url):
    logs = Path(tempfile.mkdtemp(prefix="vidcon-e2e-"))
    running = System(nats_url, database_url, logs).start()
    yield running
    running.stop()
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
