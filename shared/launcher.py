"""Run the whole system on one machine: embedded servers, fake Zoom, the five services.

`python -m shared.launcher` (what `scripts/run` calls). Everything is served from one address,
http://127.0.0.1:8000 (VIDCON_PORT; VIDCON_PUBLIC_URL when people reach it by another name),
through the gateway (shared/gateway). NATS_URL / DATABASE_URL / ZOOM_API_URL point
it at servers of your own instead of starting embedded ones. Data lives under VIDCON_DATA
(default `.vidcon/`) and is kept across restarts. Ctrl-C stops everything it started.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from shared.config import REPO_ROOT, SERVICES, Settings
from shared.embedded import EmbeddedNats, EmbeddedPostgres, free_port
from shared.embedded.servers import wait_for_port
from shared.gateway.process import Gateway, PortTaken, refuse_taken


def wait_answering(url: str, process: subprocess.Popen[bytes], timeout: float, *, name: str, hint: str = "") -> None:
    """Until GET `url` answers 200; fails as soon as `process` exits, or once `timeout` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited{hint}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{name} not ready after {timeout}s{hint}")


@dataclass
class System:
    """The five service processes (and fake Zoom) against given NATS and PostgreSQL URLs."""

    nats_url: str
    database_url: str
    log_dir: Path
    zoom_api_url: str | None = None
    oidc_issuer: str | None = None
    nats_passwords: dict[str, str] = field(default_factory=dict)
    """Each service's NATS password on the embedded server (none: external NATS as configured)."""
    session_secret: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    extra_env: dict[str, str] = field(default_factory=dict)
    ports: dict[str, int] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    gateway_port: int | None = None
    """Serve everything from this one port (the gateway); none: each service on its own port."""
    public_url: str | None = None
    """The address people and their emails use; defaults to the gateway's."""
    gateway: Gateway | None = None

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    @property
    def address(self) -> str:
        """Where a person starts: the gateway's public address, else intake's own."""
        return self._public() or self.url("intake")

    def metrics_urls(self) -> dict[str, str]:
        """Where Prometheus scrapes each running service: its own port, never the gateway."""
        return {name: f"{self.url(name)}/metrics" for name in SERVICES if name in self.ports}

    def _public(self) -> str | None:
        if self.gateway_port is None:
            return None
        return (self.public_url or f"http://127.0.0.1:{self.gateway_port}").rstrip("/")

    def start(self, services: Sequence[str] = SERVICES) -> "System":
        """Everything, ready; a start that fails stops what it had started (nothing is left running)."""
        try:
            return self._start(services)
        except BaseException:
            self.stop()
            raise

    def _start(self, services: Sequence[str]) -> "System":
        self.log_dir.mkdir(parents=True, exist_ok=True)
        if self.zoom_api_url is None:
            zoom_port = free_port()
            self._spawn("fake-zoom", ["-m", "fakes.zoom"], zoom_port)
            self.zoom_api_url = f"http://127.0.0.1:{zoom_port}"
        if self.oidc_issuer is None:
            self._start_identity_provider()
        if "SMTP_HOST" not in os.environ and "SMTP_PORT" not in self.extra_env:
            smtp_port = free_port()
            self.extra_env.update(SMTP_PORT=str(smtp_port), MAIL_DIR=str(self.log_dir / "mail"))
            self._spawn("fake-smtp", ["-m", "fakes.smtp"], smtp_port)
        if "WHATSAPP_GATEWAY_URL" not in os.environ and "WHATSAPP_GATEWAY_URL" not in self.extra_env:
            whatsapp_port = free_port()
            self._spawn("fake-whatsapp", ["-m", "fakes.whatsapp"], whatsapp_port)
            self.extra_env["WHATSAPP_GATEWAY_URL"] = f"http://127.0.0.1:{whatsapp_port}"
        self.ports.update({name: free_port() for name in services})
        for name in services:
            self.start_service(name)
        for name in services:
            self.wait_ready(name)
        if self.gateway_port is not None:
            self.gateway = Gateway(
                self.gateway_port, {s: f"127.0.0.1:{p}" for s, p in self.ports.items()}, self.log_dir / "gateway.log"
            ).start()
        return self

    def _start_identity_provider(self) -> None:
        from fakes.identity import provider_command
        from shared.tenants import load_tenants

        port = free_port()
        tenants = list(load_tenants(Settings().vidcon_tenants_dir))
        self._spawn("identity", provider_command(port, tenants)[1:], port)
        self.oidc_issuer = f"http://127.0.0.1:{port}"
        wait_for_port(port, self.processes["identity"])

    def start_service(self, name: str) -> None:
        identity = {"NATS_USER": name, "NATS_PASSWORD": self.nats_passwords[name]} if self.nats_passwords else {}
        self._spawn(name, ["-m", name], self.ports[name], identity)

    def wait_ready(self, name: str, timeout: float = 60.0) -> None:
        see = f"; see {self.log_dir / (name + '.log')}"
        wait_answering(f"{self.url(name)}/readyz", self.processes[name], timeout, name=name, hint=see)

    def _spawn(self, name: str, args: list[str], port: int, identity: dict[str, str] | None = None) -> None:
        public = self._public()
        env = {
            **os.environ,
            "NATS_URL": self.nats_url,
            "DATABASE_URL": self.database_url,
            "ZOOM_API_URL": self.zoom_api_url or "",
            "PORT": str(port),
            "PYTHONUNBUFFERED": "1",
            "OIDC_ISSUER": self.oidc_issuer or "",
            "SESSION_SECRET": self.session_secret,
            "SECURE_COOKIES": "false",
            "PROVISIONING_SEED": str(REPO_ROOT / "services" / "provisioning" / "seed" / "resources.yaml"),
            "SERVICE_URLS": ",".join(f"{s}=http://127.0.0.1:{p}" for s, p in self.ports.items()),
            **({"VIDCON_PUBLIC_URL": public} if public else {}),
            **(identity or {}),
            **self.extra_env,
        }
        log = open(self.log_dir / f"{name}.log", "ab")
        self.processes[name] = subprocess.Popen(
            [sys.executable, *args], env=env, cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT
        )

    def kill(self, name: str) -> None:
        self.processes[name].send_signal(signal.SIGKILL)
        self.processes[name].wait()

    def stop(self, timeout: float = 8.0) -> None:
        """Everything at once, then waits at most `timeout` seconds in all before killing."""
        if self.gateway:
            self.gateway.stop()
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + timeout
        for process in self.processes.values():
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def crashed(self) -> str | None:
        """The first process that ended by itself, if any."""
        return next((name for name, process in self.processes.items() if process.poll() is not None), None)

    def log_tail(self, name: str, lines: int = 15) -> str:
        path = self.log_dir / f"{name}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""


def _session_secret(data: Path) -> str:
    """Kept in the data folder, so a restart does not log everyone out."""
    path = data / "session-secret"
    if not path.exists():
        data.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()


class Stop(Exception):
    """SIGINT or SIGTERM to the launcher."""


def _stop_on_signal(*_: object) -> None:
    for name in (signal.SIGINT, signal.SIGTERM):  # a second Ctrl-C must not cut the stop short
        signal.signal(name, signal.SIG_IGN)
    raise Stop


def main() -> None:
    data = Path(os.environ.get("VIDCON_DATA", REPO_ROOT / ".vidcon")).resolve()
    port = int(os.environ.get("VIDCON_PORT", "8000"))
    started: list[EmbeddedNats | EmbeddedPostgres] = []
    nats_url, database_url = os.environ.get("NATS_URL"), os.environ.get("DATABASE_URL")
    print(f"Vidcon: data in {data}", flush=True)
    passwords: dict[str, str] = {}
    signal.signal(signal.SIGTERM, _stop_on_signal)
    signal.signal(signal.SIGINT, _stop_on_signal)
    system = None
    try:
        refuse_taken(port)
        if not nats_url:
            nats = EmbeddedNats(data / "nats", accounts=True).start()
            started.append(nats)
            nats.prepare_public_stream()
            nats_url, passwords = nats.url, nats.passwords
        if not database_url:
            postgres = EmbeddedPostgres(data / "postgres").start()
            started.append(postgres)
            database_url = postgres.url
        system = System(
            nats_url,
            database_url,
            data / "logs",
            zoom_api_url=os.environ.get("ZOOM_API_URL"),
            oidc_issuer=os.environ.get("OIDC_ISSUER"),
            session_secret=_session_secret(data),
            nats_passwords=passwords,
            gateway_port=port,
            public_url=os.environ.get("VIDCON_PUBLIC_URL"),
        )
        system.start()
        print(f"NATS {nats_url}  PostgreSQL {database_url}  logs {data / 'logs'}")
        print("Metrics (Prometheus, on each service's own port):")
        for name, url in system.metrics_urls().items():
            print(f"  {name:<13} {url}")
        print(f"\nMulai di sini / start here: {system.address}/\n(Ctrl-C to stop)", flush=True)
        while (crashed := system.crashed()) is None:
            time.sleep(1)
        _report_crash(system, crashed)
    except Stop:
        print("\nStopping Vidcon...", flush=True)
    except PortTaken as taken:
        print(f"Vidcon cannot start: {taken}", file=sys.stderr)
        raise SystemExit(1) from None
    finally:
        if system:
            system.stop()
        for server in reversed(started):
            server.stop()
        print("Vidcon stopped.", flush=True)


def _report_crash(system: System, name: str) -> None:
    code = system.processes[name].returncode
    print(
        f"\n{name} stopped by itself (exit code {code}); the end of {system.log_dir / (name + '.log')}:\n"
        f"{system.log_tail(name)}\n",
        file=sys.stderr,
        flush=True,
    )


if __name__ == "__main__":
    main()
