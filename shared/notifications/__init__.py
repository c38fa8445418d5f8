"""Pemberitahuan by email and WhatsApp for any service: an outbox in the service's own schema, sent
by one background loop that reads addresses from the service's own erasable contact store.

A service that sends them creates its `notifications` table in its own migrations (its history);
what changed it since the outbox became shared code is in MIGRATIONS, applied in the schema of
every service that sends (its ServiceSpec's `shared_migrations`)."""

from pathlib import Path

from shared.notifications.contacts import Contacts
from shared.notifications.delivery import deliver_due, delivery_loop
from shared.notifications.outbox import drop_pending, enqueue
from shared.notifications.settings import DeliverySettings

MIGRATIONS = Path(__file__).parent / "migrations"

__all__ = ["MIGRATIONS", "Contacts", "DeliverySettings", "deliver_due", "delivery_loop", "drop_pending", "enqueue"]
