"""Daftar periksa: the tenant's required documents, checked one by one at verification."""

from __future__ import annotations

from shared.domain import DomainRuleBroken
from shared.tenants import RequiredDocument


class Checklist:
    def __init__(self, items: list[RequiredDocument]):
        self.names = {item.id: item.name for item in items}

    def confirm_complete(self, checked: list[str]) -> list[str]:
        """The checked ids when every required item is checked; else which are still missing."""
        self._known(checked)
        missing = [name for id, name in self.names.items() if id not in checked]
        if missing:
            raise DomainRuleBroken(
                "checked",
                "belum lengkap menurut daftar periksa: "
                + "; ".join(missing)
                + ". Kembalikan permohonan kepada pemohon bila kelengkapan itu tidak ada.",
            )
        return list(checked)

    def names_of(self, missing: list[str]) -> list[str]:
        self._known(missing)
        return [self.names[id] for id in missing]

    def _known(self, ids: list[str]) -> None:
        unknown = [id for id in ids if id not in self.names]
        if unknown:
            raise DomainRuleBroken(
                "checked",
                "bukan butir daftar periksa dinas ini: " + ", ".join(unknown) + f" (yang ada: {', '.join(self.names)})",
            )
