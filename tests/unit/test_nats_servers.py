"""NATS_URL names one server or, comma-separated, the nodes of a cluster."""

from shared.messaging.connect import nats_servers


def test_one_address_stays_a_string():
    assert nats_servers("nats://127.0.0.1:4222") == "nats://127.0.0.1:4222"


def test_several_addresses_become_a_list():
    assert nats_servers("nats://a:4222, nats://b:4222,nats://c:4222,") == [
        "nats://a:4222",
        "nats://b:4222",
        "nats://c:4222",
    ]
