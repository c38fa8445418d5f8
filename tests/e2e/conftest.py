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
