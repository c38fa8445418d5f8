"""The embedded three-node JetStream cluster the fault suite's `cluster` variant runs on."""

from __future__ import annotations

import asyncio

import pytest
from nats.errors import Error as NatsError

from shared.embedded import EmbeddedNatsCluster
from shared.messaging import EVENTS_STREAM, connect_nats, ensure_streams


@pytest.fixture
def cluster(tmp_path):
    started = EmbeddedNatsCluster(tmp_path / "nats").start()
    yield started
    started.stop()


async def publish(js, count: int, first: int = 0) -> None:
    """Each message with its Nats-Msg-Id, retried until the stream takes it (as the relay does)."""
    for number in range(first, first + count):
        while True:
            try:
                await js.publish("vidcon.t.c.e", b"{}", headers={"Nats-Msg-Id": str(number)}, timeout=2)
                break
            except (NatsError, asyncio.TimeoutError):
                await asyncio.sleep(0.2)


async def test_an_r3_stream_keeps_every_message_when_its_leader_is_killed_and_back(cluster):
    nc = await connect_nats(cluster.url, name="test")  # every node's address, comma-separated
    try:
        js = nc.jetstream()
        await ensure_streams(js, replicas=3)
        info = await js.stream_info(EVENTS_STREAM)
        assert info.config.num_replicas == 3 and len(info.cluster.replicas) == 2
        await publish(js, 20)
        old_leader = cluster.node(info.cluster.leader)
        await asyncio.to_thread(old_leader.kill)
        await publish(js, 20, first=20)  # a new leader is elected among the two left
        await asyncio.to_thread(old_leader.start)  # on its store: it catches up
        await asyncio.to_thread(cluster.wait_healthy)
        info = await js.stream_info(EVENTS_STREAM)
        assert info.cluster.leader != old_leader.cluster.name
        assert info.state.messages == 40
        for _ in range(100):
            replicas = (await js.stream_info(EVENTS_STREAM)).cluster.replicas
            if all(replica.current for replica in replicas):
                break
            await asyncio.sleep(0.1)
        assert all(replica.current for replica in replicas), replicas
    finally:
        await nc.close()
