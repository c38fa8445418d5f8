"""A local SMTP server (aiosmtpd) that keeps every message it receives.

In a test: `with CapturingSmtp() as smtp: ... smtp.messages` (email.message.EmailMessage).
As a process: `python -m fakes.smtp` (PORT, MAIL_DIR): each message is written to MAIL_DIR as
`<n>.eml`, so a test in another process can read them.

A slow server for some recipients: `smtp.hold("a@example.org")` keeps the message to that address
(it is in `messages` at once) but answers its DATA only after `smtp.release()`; `smtp.holding`
is set while one waits.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import itertools
import os
import threading
from pathlib import Path

from aiosmtpd.controller import Controller


class _Keep:
    def __init__(self, folder: Path | None):
        self.messages: list[email.message.EmailMessage] = []
        self.folder, self._numbers, self._lock = folder, itertools.count(1), threading.Lock()
        self.held_recipients: set[str] = set()
        self.holding, self.released = threading.Event(), threading.Event()

    async def handle_DATA(self, server, session, envelope) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(message)
            if self.folder:
                (self.folder / f"{next(self._numbers):05d}.eml").write_bytes(envelope.content)
        if self.held_recipients & set(envelope.rcpt_tos) and not self.released.is_set():
            self.holding.set()
            await asyncio.get_running_loop().run_in_executor(None, self.released.wait, 60)
            self.holding.clear()
        return "250 OK"


class CapturingSmtp:
    def __init__(self, port: int = 0, folder: Path | None = None):
        self._handler = _Keep(folder)
        self._controller = Controller(self._handler, hostname="127.0.0.1", port=port or _free_port())

    @property
    def port(self) -> int:
        return self._controller.port

    @property
    def messages(self) -> list[email.message.EmailMessage]:
        return list(self._handler.messages)

    @property
    def holding(self) -> threading.Event:
        return self._handler.holding

    def hold(self, recipient: str) -> None:
        self._handler.held_recipients.add(recipient)
        self._handler.released.clear()

    def release(self) -> None:
        self._handler.released.set()

    def __enter__(self) -> "CapturingSmtp":
        self._controller.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.release()
        self._controller.stop()


def read_mail_dir(folder: Path) -> list[email.message.EmailMessage]:
    return [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for path in sorted(Path(folder).glob("*.eml"))
    ]


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


if __name__ == "__main__":
    import signal

    folder = Path(os.environ.get("MAIL_DIR", "mail"))
    folder.mkdir(parents=True, exist_ok=True)
    with CapturingSmtp(int(os.environ.get("PORT", "2525")), folder):
        signal.sigwait({signal.SIGTERM, signal.SIGINT})
