"""What the embedded run prints at start, for the person who runs it and their Prometheus."""

from __future__ import annotations

import signal

import pytest

from shared import launcher
from shared.config import SERVICES
from shared.embedded import free_port


class StartedAtOnce(launcher.System):
    """The launcher's system with its processes left out: ports given, then Ctrl-C."""

    def start(self, services=SERVICES):
        self.ports = {name: 18000 + number for number, name in enumerate(services)}
        return self

    def crashed(self):
        raise launcher.Stop

    def stop(self, timeout: float = 8.0) -> None:
        pass


def test_the_run_lists_each_services_metrics_address_on_its_own_port(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(launcher, "System", StartedAtOnce)
    port = free_port()
    for name, value in {
        "VIDCON_DATA": str(tmp_path),
        "VIDCON_PORT": str(port),
        "NATS_URL": "nats://127.0.0.1:1",
        "DATABASE_URL": "postgresql://127.0.0.1:1/x",
    }.items():
        monkeypatch.setenv(name, value)
    launcher.main()
    printed = capsys.readouterr().out
    for number in range(len(SERVICES)):
        assert f"http://127.0.0.1:{18000 + number}/metrics" in printed
    assert f"http://127.0.0.1:{port}/metrics" not in printed, "never through the gateway"


@pytest.fixture(autouse=True)
def _signal_handlers_restored():
    """main() takes SIGINT and SIGTERM; pytest's own come back after the test."""
    kept = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    yield
    for sig, handler in kept.items():
        signal.signal(sig, handler)
