"""A notification's key is stable across its attempts; mail carries it as its Message-ID."""

from __future__ import annotations

import uuid

import pytest
from pydantic import ValidationError

from shared.notifications import DeliverySettings
from shared.notifications.delivery import notification_key
from shared.notifications.senders import message_id


def row(**changes) -> dict:
    return {"id": 7, "cause_id": uuid.UUID(int=1), "channel": "email", "contact_ref": uuid.UUID(int=2)} | changes


def test_the_key_is_the_same_for_one_notification_and_differs_for_another():
    assert notification_key(row()) == notification_key(row())
    others = {
        notification_key(row(id=8)),
        notification_key(row(channel="whatsapp")),
        notification_key(row(cause_id=uuid.UUID(int=3))),
        notification_key(row(contact_ref=uuid.UUID(int=4))),
    }
    assert notification_key(row()) not in others and len(others) == 4


def test_the_message_id_names_the_senders_domain():
    assert message_id("k", "Diskominfo Kaltara <info@kaltaraprov.go.id>") == "<k@kaltaraprov.go.id>"
    assert message_id("k", "vidcon@localhost") == "<k@localhost>"


def test_a_lease_no_longer_than_a_send_is_refused():
    with pytest.raises(ValidationError, match="NOTIFY_LEASE_SECONDS"):
        DeliverySettings(notify_lease_seconds=30, notify_send_timeout_seconds=30)
