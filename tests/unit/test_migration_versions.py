"""dbmate tracks a service's migrations by version: two files with one version stop the service's start."""
from __future__ import annotations

from collections import Counter

import pytest

from shared.config import REPO_ROOT, SERVICES
from shared.db import EVENT_STORE_MIGRATIONS


@pytest.mark.parametrize("service", SERVICES)
def test_no_two_migrations_of_a_service_share_a_version(service):
    folders = [EVENT_STORE_MIGRATIONS, REPO_ROOT / "services" / service / "migrations"]
    versions = Counter(path.name.split("_", 1)[0] for folder in folders if folder.exists() for path in folder.glob("*.sql"))
    assert [version for version, count in versions.items() if count > 1] == []
