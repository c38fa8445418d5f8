"""dbmate tracks a service's migrations by version: two files with one version stop the service's start."""

from __future__ import annotations

import importlib
from collections import Counter

import pytest

from shared.config import REPO_ROOT, SERVICES
from shared.db import EVENT_STORE_MIGRATIONS
from shared.notifications import MIGRATIONS as NOTIFICATIONS


def migration_dirs(service: str):
    return importlib.import_module(f"{service}.bootstrap").SPEC.migration_dirs


@pytest.mark.parametrize("service", SERVICES)
def test_no_two_migrations_of_a_service_share_a_version(service):
    folders = [EVENT_STORE_MIGRATIONS, *migration_dirs(service)]
    versions = Counter(
        path.name.split("_", 1)[0] for folder in folders if folder.exists() for path in folder.glob("*.sql")
    )
    assert [version for version, count in versions.items() if count > 1] == []


def test_services_that_send_notifications_migrate_the_shared_outbox_and_only_they():
    senders = {
        s
        for s in SERVICES
        if any("shared.notifications" in path.read_text() for path in (REPO_ROOT / "services" / s).rglob("*.py"))
    }
    assert senders == {"intake", "complaints"}
    assert {s for s in SERVICES if NOTIFICATIONS in migration_dirs(s)} == senders


def test_the_outbox_table_is_created_only_by_the_shared_migrations():
    creating = [
        path
        for path in (REPO_ROOT / "services").glob("*/migrations/*.sql")
        if "create table notifications" in path.read_text()
    ]
    assert creating == []
