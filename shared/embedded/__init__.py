"""Embedded nats-server and PostgreSQL for the one-command run and the tests."""

from shared.embedded.servers import EmbeddedNats, EmbeddedNatsCluster, EmbeddedPostgres, free_port

__all__ = ["EmbeddedNats", "EmbeddedNatsCluster", "EmbeddedPostgres", "free_port"]
