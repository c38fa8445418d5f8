"""The start page's links: each person sees those of the roles they hold, per department.

A link names the service that serves it (its address comes from `service_url_map`) and the
roles that may open it, as the routes themselves allow (tests/e2e/test_access_matrix.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.auth import Role, User

R = Role
SUBMITTERS = frozenset({R.REQUESTER, R.VERIFIER, R.TENANT_ADMIN})
OFFICIALS = frozenset(
    {R.VERIFIER, R.HEAD_OF_DEPARTMENT, R.HEAD_OF_DIVISION, R.APPROVER, R.TECHNICAL_TEAM, R.TENANT_ADMIN}
)
TECHNICAL = frozenset({R.TECHNICAL_TEAM, R.OPERATOR, R.TENANT_ADMIN})
READERS = frozenset({R.LEADER, R.TENANT_ADMIN, R.HEAD_OF_DEPARTMENT, R.HEAD_OF_DIVISION, R.TECHNICAL_TEAM})
COMPLAINT_HANDLERS = frozenset({R.COMPLAINTS_OFFICER, R.COMPLAINTS_TEAM})


@dataclass(frozen=True)
class Link:
    label: str
    service: str
    path: str
    """With `{tenant}` for the department."""
    roles: frozenset[Role]


LINKS = (
    Link("Ajukan permohonan", "intake", "/t/{tenant}/ajukan", SUBMITTERS),
    Link("Permohonan saya", "intake", "/t/{tenant}/permohonan", SUBMITTERS),
    Link("Kotak masuk (verifikasi, disposisi)", "approval", "/t/{tenant}/kotak-masuk", OFFICIALS),
    Link("Rapat hari ini", "provisioning", "/t/{tenant}/hari-ini", TECHNICAL | {R.HEAD_OF_DIVISION}),
    Link("Jadwal akun, operator, peralatan", "provisioning", "/t/{tenant}/jadwal", TECHNICAL | {R.HEAD_OF_DIVISION}),
    Link(
        "Sumber daya penyediaan",
        "provisioning",
        "/t/{tenant}/sumber-daya",
        frozenset({R.TECHNICAL_TEAM, R.TENANT_ADMIN}),
    ),
    Link(
        "Langganan kalender",
        "provisioning",
        "/t/{tenant}/kalender",
        frozenset(
            {
                R.REQUESTER,
                R.OPERATOR,
                R.TECHNICAL_TEAM,
                R.HEAD_OF_DIVISION,
                R.HEAD_OF_DEPARTMENT,
                R.LEADER,
                R.TENANT_ADMIN,
            }
        ),
    ),
    Link("Laporan", "reporting", "/t/{tenant}/laporan", READERS),
    Link("Rekap dan evaluasi", "reporting", "/t/{tenant}/evaluasi", READERS),
    Link("Kotak masuk pengaduan", "complaints", "/t/{tenant}/pengaduan/masuk", COMPLAINT_HANDLERS),
    Link("Catat pengaduan", "complaints", "/t/{tenant}/pengaduan/catat", frozenset({R.COMPLAINTS_OFFICER})),
    Link(
        "Impor survei kertas",
        "complaints",
        "/t/{tenant}/survei-kertas",
        frozenset({R.COMPLAINTS_OFFICER, R.TENANT_ADMIN}),
    ),
)


def links_for(roles: frozenset[Role], tenant: str, urls: dict[str, str]) -> list[tuple[str, str]]:
    """(label, href) of the links one of `roles` may open in the department; intake's own are relative."""
    return [
        (link.label, ("" if link.service == "intake" else urls.get(link.service, "")) + link.path.format(tenant=tenant))
        for link in LINKS
        if link.roles & roles
    ]


def work_by_tenant(user: User | None, tenants: list, urls: dict[str, str]) -> list[tuple[object, list]]:
    """(tenant, links) for the departments where the user holds a role; a visitor gets the
    requester's links of every department (they lead to sign-in)."""
    if user is None:
        return [(tenant, links_for(frozenset({R.REQUESTER}), tenant.id, urls)) for tenant in tenants]
    return [
        (tenant, links_for(user.roles_in(tenant.id), tenant.id, urls)) for tenant in tenants if user.roles_in(tenant.id)
    ]
