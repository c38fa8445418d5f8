"""Pemberitahuan by email and WhatsApp for any service: an outbox in the service's own schema, sent
by one background loop that reads addresses from the service's own erasable contact store."""
from shared.notifications.contacts import Contacts
from shared.notifications.delivery import deliver_due, delivery_loop
from shared.notifications.outbox import drop_pending, enqueue
from shared.notifications.settings import DeliverySettings

__all__ = ["Contacts", "DeliverySettings", "deliver_due", "delivery_loop", "drop_pending", "enqueue"]
