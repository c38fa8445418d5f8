"""Read a stream in order, fast: a pull consumer whose messages skip nats-py's per-message work.

nats-py parses every message's headers into a dict, makes a `Msg`, queues it and awaits a
callback task for it; for a replay that was two thirds of its time. Here the messages of one
subscription are handed as they are parsed (raw bytes: subject, headers, payload) to a plain
function, on nats-py's own read loop and connection (its credentials, reconnects). The
consumer is a pull consumer without acks, asked for `batch` messages at a time with up to two
requests in flight, so the server sends only what was asked for: a reader that stops to wait
(its event loop standing) holds the rest of the stream on the server, as flow control does.

Like nats-py's ordered consumer, a gap in the consumer's sequence, or silence while messages
were asked for, recreates the consumer from the stream sequence after the last one read.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from typing import Any

import orjson
import structlog
from nats.aio.client import Client
from nats.aio.subscription import Subscription
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

OnMessage = Callable[[int, bytes, bytes | None, bytes], None]
"""Called with (stream sequence, subject, raw headers or None, payload) for each message in order."""

log = structlog.get_logger()

_ROUTES = "_vidcon_raw_routes"
_PENDING = b"Nats-Pending-Messages:"


class RawPull:
    """Every message of `stream` (or of `filter_subjects`) from its start, to `on_message`."""

    def __init__(
        self,
        js: JetStreamContext,
        stream: str,
        on_message: OnMessage,
        filter_subjects: list[str] | None = None,
        batch: int = 2_000,
        expires: float = 5.0,
        inactive: float = 300.0,
    ):
        self.js, self.nc, self.stream, self.on_message = js, js._nc, stream, on_message
        self.filter_subjects, self.batch, self.expires, self.inactive = filter_subjects, batch, expires, inactive
        self.sequence = 0
        """The last stream sequence handed over."""
        self.failure: Exception | None = None
        """The first error `on_message` raised, kept for its owner."""
        self._consumer: str | None = None
        self._consumer_name = b""
        self._next_delivered = 1
        self._outstanding = 0
        self._heard_at = time.monotonic()
        self._inbox = self.nc.new_inbox()
        self._sub: Subscription | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._recreating = asyncio.Lock()

    async def start(self) -> None:
        sub = self._sub = await self.nc.subscribe(f"{self._inbox}.*")
        _route(self.nc, sub._id, self._on_raw)
        await self._recreate()

    async def stop(self) -> None:
        if self._sub is not None:
            _unroute(self.nc, self._sub._id)
            sub, self._sub = self._sub, None
            await sub.unsubscribe()
        for task in list(self._tasks):
            task.cancel()
        await self._delete_consumer()

    async def revive(self) -> None:
        """Recreate the consumer if nothing, not even the end of a request, came for longer than
        a request lasts: the requests were lost (a reconnect) or the consumer was (a restarted
        server)."""
        if time.monotonic() - self._heard_at > self.expires + 2.0:
            await self._recreate()

    def _start_over(self) -> None:
        """From a message handler: what the old consumer still sends is dropped from now on."""
        self._consumer_name = b""
        self._in_background(self._recreate())

    async def _recreate(self) -> None:
        self._consumer_name = b""
        async with self._recreating:
            await self._delete_consumer()
            await self._create_consumer()

    async def _create_consumer(self) -> None:
        config = ConsumerConfig(
            ack_policy=AckPolicy.NONE,
            max_deliver=1,
            mem_storage=True,
            num_replicas=1,
            inactive_threshold=self.inactive,
            filter_subjects=self.filter_subjects,
            deliver_policy=DeliverPolicy.BY_START_SEQUENCE if self.sequence else DeliverPolicy.ALL,
            opt_start_seq=self.sequence + 1 if self.sequence else None,
        )
        self._consumer = (await self.js.add_consumer(self.stream, config=config)).name
        self._consumer_name = self._consumer.encode()
        self._next_delivered, self._outstanding, self._heard_at = 1, 0, time.monotonic()
        self._ask()
        self._ask()

    async def _delete_consumer(self) -> None:
        if self._consumer is not None:
            consumer, self._consumer = self._consumer, None
            try:
                await self.js.delete_consumer(self.stream, consumer)
            except Exception as error:  # noqa: BLE001  gone already, or its inactivity removes it
                log.debug("raw_pull.consumer_not_deleted", consumer=consumer, error=repr(error))

    def _ask(self) -> None:
        self._outstanding += self.batch
        request = orjson.dumps({"batch": self.batch, "expires": int(self.expires * 1e9)})
        subject = f"$JS.API.CONSUMER.MSG.NEXT.{self.stream}.{self._consumer}"
        self._in_background(self.nc.publish(subject, request, reply=f"{self._inbox}.{self._consumer}"))

    def _in_background(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _on_raw(self, subject: bytes, reply: bytes, data: bytes, headers: bytes | None) -> None:
        if not reply:
            return self._on_status(subject, headers)
        tokens = reply.split(b".")  # $JS.ACK.<stream>.<consumer>.<delivered>.<stream seq>.<consumer seq>...
        consumer, stream_at, delivered = (3, 5, 6) if len(tokens) == 9 else (5, 7, 8)  # or with domain and hash
        if tokens[consumer] != self._consumer_name:
            return  # from a consumer recreated since
        if int(tokens[delivered]) != self._next_delivered:
            return self._start_over()
        self._next_delivered += 1
        self._outstanding -= 1
        if self._outstanding <= self.batch:
            self._ask()
        self.sequence = int(tokens[stream_at])
        if self.failure is not None:
            return
        try:
            self.on_message(self.sequence, subject, headers, data)
        except Exception as error:  # noqa: BLE001  raised here, it would stop nats-py's read loop
            log.error("raw_pull.handler_failed", sequence=self.sequence, error=repr(error))
            self.failure = self.failure or error
        self._heard_at = time.monotonic()

    def _on_status(self, subject: bytes, headers: bytes | None) -> None:
        """A request that ended unfilled (408 when it expired) is asked again for what it did
        not bring. Any other answer (no consumer, no responders) is left to `revive`: asking
        again at once would only bring the same answer, as fast as the server can send it."""
        if not self._consumer_name or not subject.endswith(self._consumer_name) or not headers:
            return
        at = headers.find(_PENDING)
        if at < 0:
            return
        self._heard_at = time.monotonic()
        self._outstanding -= int(headers[at + len(_PENDING) : headers.index(b"\r", at)])
        while self._outstanding <= self.batch:
            self._ask()


def _route(nc: Client, sid: int, handler: Callable[[bytes, bytes, bytes, bytes | None], None]) -> None:
    """Messages of subscription `sid` go to `handler` straight from nats-py's parser."""
    routes = nc.__dict__.get(_ROUTES)
    if routes is None:
        routes = {}
        setattr(nc, _ROUTES, routes)
        process_msg = nc._process_msg

        async def routed(
            sid: int, subject: bytes, reply: bytes, data: bytes, headers: bytes
        ) -> None:  # as nats-py declares it
            handler = routes.get(sid)
            if handler is None:
                return await process_msg(sid, subject, reply, data, headers)
            handler(subject, reply, data, headers)

        nc._process_msg = routed  # type: ignore[method-assign]  # only this connection, while a replay reads
    routes[sid] = handler


def _unroute(nc: Client, sid: int) -> None:
    routes = nc.__dict__.get(_ROUTES, {})
    routes.pop(sid, None)
    if not routes:
        nc.__dict__.pop(_ROUTES, None)
        nc.__dict__.pop("_process_msg", None)
