"""Where complaints' outbox finds a complainant's addresses (shared.notifications)."""

from shared.notifications import Contacts

COMPLAINANTS = Contacts(table="complainants", ref="complainant_ref")
