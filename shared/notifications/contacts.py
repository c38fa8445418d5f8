"""Where a service keeps the people it notifies: its own erasable table, one row per contact_ref."""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Contacts:
    table: str
    ref: str
    email: str = "email"
    whatsapp: str = "whatsapp"
    erased_at: str = "erased_at"

    def __post_init__(self) -> None:
        names = [getattr(self, f.name) for f in fields(self)]
        if not all(name.isidentifier() for name in names):
            raise ValueError(f"table and column names must be plain SQL identifiers: {names}")

    def join(self) -> str:
        """Joins the contact as `c` to the outbox row `n`; a missing one leaves nulls."""
        return f"left join {self.table} c on c.{self.ref} = n.contact_ref"

    def columns(self) -> str:
        return (
            f"c.{self.ref} is not null as contact_known, c.{self.email} as email,"
            f" c.{self.whatsapp} as whatsapp, c.{self.erased_at} as erased_at"
        )
