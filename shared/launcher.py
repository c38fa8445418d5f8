"""Run the whole system on one machine: embedded servers, fake Zoom, the five services.

`python -m shared.launcher` (what `./run` calls). NATS_URL / DATABASE_URL / ZOOM_API_URL point
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
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from shared.config import REPO_ROOT, Settings
from shared.embedded import EmbeddedNats, EmbeddedPostgres, free_port
from shared.embedded.servers import wait_for_port

SERVICES = ("intake", "approval", "provisioning", "reporting", "complaints")


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
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    def start(self, services=SERVICES) -> "System":
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
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.processes[name].poll() is not None:
                raise RuntimeError(f"{name} exited; see {self.log_dir / (name + '.log')}")
            try:
                if httpx.get(f"{self.url(name)}/readyz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise TimeoutError(f"{name} not ready after {timeout}s; see {self.log_dir / (name + '.log')}")

    def _spawn(self, name: str, args: list[str], port: int, identity: dict | None = None) -> None:
        env = {**os.environ, "NATS_URL": self.nats_url, "DATABASE_URL": self.database_url,
               "ZOOM_API_URL": self.zoom_api_url or "", "PORT": str(port), "PYTHONUNBUFFERED": "1",
               "OIDC_ISSUER": self.oidc_issuer or "", "SESSION_SECRET": self.session_secret,
               "SECURE_COOKIES": "false",
               "PROVISIONING_SEED": str(REPO_ROOT / "services" / "provisioning" / "seed" / "resources.yaml"),
               "SERVICE_URLS": ",".join(f"{s}=http://127.0.0.1:{p}" for s, p in self.ports.items()),
               **(identity or {}), **self.extra_env}
        log = open(self.log_dir / f"{name}.log", "ab")
        self.processes[name] = subprocess.Popen([sys.executable, *args], env=env, cwd=REPO_ROOT,
                                                stdout=log, stderr=subprocess.STDOUT)

    def kill(self, name: str) -> None:
        self.processes[name].send_signal(signal.SIGKILL)
        self.processes[name].wait()

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()


def _session_secret(data: Path) -> str:
    """Kept in the data folder, so a restart does not log everyone out."""
    path = data / "session-secret"
    if not path.exists():
        data.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()


def main() -> None:
    data = Path(os.environ.get("VIDCON_DATA", REPO_ROOT / ".vidcon")).resolve()
    started: list = []
    nats_url, database_url = os.environ.get("NATS_URL"), os.environ.get("DATABASE_URL")
    print(f"Vidcon: data in {data}", flush=True)
    passwords = {}
    if not nats_url:
        started.append(EmbeddedNats(data / "nats", accounts=True).start())
        started[-1].prepare_public_stream()
        nats_url, passwords = started[-1].url, started[-1].passwords
    if not database_url:
        started.append(EmbeddedPostgres(data / "postgres").start())
        database_url = started[-1].url
    system = System(nats_url, database_url, data / "logs", zoom_api_url=os.environ.get("ZOOM_API_URL"),
                    oidc_issuer=os.environ.get("OIDC_ISSUER"), session_secret=_session_secret(data),
                    nats_passwords=passwords)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        system.start()
        print(f"NATS {nats_url}  PostgreSQL {database_url}  logs {data / 'logs'}")
        for name in SERVICES:
            print(f"  {name:<13} {system.url(name)}")
        print(f"\nMulai di sini / start here: {system.url('intake')}/\n(Ctrl-C to stop)", flush=True)
        while all(p.poll() is None for p in system.processes.values()):
            time.sleep(1)
        time.sleep(0.5)  # a Ctrl-C reaches the services too; let it reach us before we complain
        print("a service stopped; see the logs", file=sys.stderr)
    except KeyboardInterrupt:
        pass
    finally:
        system.stop()
        for server in reversed(started):
            server.stop()
        print("Vidcon stopped.")


if __name__ == "__main__":
    main()
