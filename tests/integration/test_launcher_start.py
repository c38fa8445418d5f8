"""A system whose start fails leaves nothing running (an orphaned service kept a core busy for an hour)."""

from __future__ import annotations

import pytest

from shared.embedded import free_port
from shared.launcher import System


def test_a_failed_start_stops_every_process_it_had_started(tmp_path, servers):
    nats = servers[0]
    unreachable_database = f"postgresql://postgres@127.0.0.1:{free_port()}/postgres"
    system = System(nats.url, unreachable_database, tmp_path, nats_passwords=nats.passwords)
    with pytest.raises(RuntimeError, match="intake exited"):
        system.start(services=("intake",))
    assert {"fake-zoom", "identity", "intake"} <= set(system.processes)
    assert {name: p.poll() for name, p in system.processes.items() if p.poll() is None} == {}
