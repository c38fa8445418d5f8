"""The servers every benchmark starts for itself: an embedded nats-server and PostgreSQL in a
temporary folder, stopped and removed on the way out."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from shared.embedded import EmbeddedNats, EmbeddedPostgres


@dataclass
class Embedded:
    root: Path
    postgres: EmbeddedPostgres
    nats: EmbeddedNats | None


@contextmanager
def embedded_servers(prefix: str, *, nats: bool = True, keep: bool = False) -> Iterator[Embedded]:
    """PostgreSQL, and a nats-server unless `nats=False`; `keep` leaves the folder (its logs)."""
    root = Path(tempfile.mkdtemp(prefix=prefix))
    postgres = EmbeddedPostgres(root / "pg").start()
    server = None
    try:
        server = EmbeddedNats(root / "nats").start() if nats else None
        yield Embedded(root, postgres, server)
    finally:
        if server is not None:
            server.stop()
        postgres.stop()
        if not keep:
            shutil.rmtree(root, ignore_errors=True)
