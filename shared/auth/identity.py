"""Who is acting: an OIDC subject with roles per tenant (dinas), read from the token's claims.

Roles come from the `groups` claim as `/vidcon/<tenant>/<role>` (Keycloak's group membership
mapper, with full group paths), so one person can hold roles in several tenants. A requester
belongs to an agency (OPD), given by the `agency` claim (a user attribute mapper).
"""

from __future__ import annotations

from typing import Any, Iterable
from dataclasses import dataclass, field

from shared.tenants.vocabulary import Role as Role  # re-exported: the roles people log in with

GROUP_PREFIX = "/vidcon/"


STAFF = frozenset(Role) - {Role.REQUESTER}
ROLE_NAMES = {
    Role.REQUESTER: "Pemohon (staf instansi)",
    Role.VERIFIER: "Verifikator",
    Role.HEAD_OF_DEPARTMENT: "Kepala Dinas",
    Role.HEAD_OF_DIVISION: "Kepala Bidang",
    Role.APPROVER: "Pejabat penyetuju",
    Role.TECHNICAL_TEAM: "Tim teknis",
    Role.OPERATOR: "Operator",
    Role.COMPLAINTS_OFFICER: "Pejabat pengelola pengaduan",
    Role.COMPLAINTS_TEAM: "Tim penanganan pengaduan",
    Role.LEADER: "Pimpinan",
    Role.TENANT_ADMIN: "Admin dinas",
}
"""What a person reads for each role, on pages and in messages (never the code)."""


def role_names(roles: Iterable[Role]) -> str:
    """`Kepala Dinas, Verifikator`: the roles' Indonesian names in the order of `Role`."""
    return ", ".join(ROLE_NAMES[role] for role in Role if role in roles)


@dataclass(frozen=True)
class User:
    id: str
    roles_by_tenant: dict[str, frozenset[Role]] = field(default_factory=dict)
    agency: str | None = None

    def roles_in(self, tenant: str) -> frozenset[Role]:
        return self.roles_by_tenant.get(tenant, frozenset())

    def may(self, tenant: str, allowed: frozenset[Role]) -> bool:
        return bool(self.roles_in(tenant) & allowed)

    @classmethod
    def from_claims(cls, claims: dict[str, Any]) -> "User":
        roles: dict[str, set[Role]] = {}
        for group in claims.get("groups") or []:
            tenant, _, role = str(group).removeprefix(GROUP_PREFIX).partition("/")
            if str(group).startswith(GROUP_PREFIX) and role in Role.__members__.values():
                roles.setdefault(tenant, set()).add(Role(role))
        return cls(
            id=str(claims["sub"]),
            agency=claims.get("agency"),
            roles_by_tenant={t: frozenset(r) for t, r in roles.items()},
        )

    def to_session(self) -> dict[str, Any]:
        return {"id": self.id, "agency": self.agency, "roles": {t: sorted(r) for t, r in self.roles_by_tenant.items()}}

    @classmethod
    def from_session(cls, data: dict[str, Any]) -> "User":
        return cls(
            id=data["id"],
            agency=data.get("agency"),
            roles_by_tenant={t: frozenset(Role(r) for r in rs) for t, rs in data["roles"].items()},
        )
