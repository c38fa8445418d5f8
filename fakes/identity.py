"""A local OpenID Connect provider (`oidc-provider-mock`) with one demo user per tenant and role.

Its sign-in page (our templates in Bahasa Indonesia, phone-sized, in place of the package's
English ones) lists the demo users (`<role>@<tenant>`) by department; any other subject can be
typed in and gets no role. Production uses Keycloak with the same claims: `groups` as
`/vidcon/<tenant>/<role>` and `agency` for requesters.
"""

from __future__ import annotations

import json
import re
import sys
from functools import lru_cache
from itertools import groupby
from pathlib import Path

import yaml
from jinja2 import ChoiceLoader, FileSystemLoader

from shared.auth.identity import GROUP_PREFIX, ROLE_NAMES, Role

TEMPLATES = Path(__file__).parent / "templates"

DEMO_AGENCY = "Badan Perencanaan Pembangunan Daerah"


def demo_user(tenant: str, role: Role) -> dict:
    claims = {"sub": f"{role.value}@{tenant}", "groups": [f"{GROUP_PREFIX}{tenant}/{role.value}"]}
    return claims | ({"agency": DEMO_AGENCY} if role == Role.REQUESTER else {})


def seeded_operators(tenant: str) -> list[dict]:
    """The operators provisioning's seed knows (`operator<n>@<tenant>`), so their duty shows."""
    from shared.config import REPO_ROOT

    seed = yaml.safe_load((REPO_ROOT / "services" / "provisioning" / "seed" / "resources.yaml").read_text())
    operators = (seed.get(tenant) or {}).get("operators", [])
    return [{"sub": o["user_id"], "groups": [f"{GROUP_PREFIX}{tenant}/{Role.OPERATOR.value}"]} for o in operators]


def demo_users(tenants: list[str]) -> list[dict]:
    """Every demo identity's claims: one per tenant and role, then the seeded operators."""
    users = [demo_user(tenant, role) for tenant in sorted(tenants) for role in Role]
    return users + [user for tenant in sorted(tenants) for user in seeded_operators(tenant)]


def provider_command(port: int, tenants: list[str]) -> list[str]:
    users = demo_users(tenants)
    return [
        sys.executable,
        "-m",
        "fakes.identity",
        "--port",
        str(port),
        *[arg for user in users for arg in ("--user-claims", json.dumps(user))],
    ]


def account_label(sub: str) -> str:
    """`verifier@kaltara` -> `Verifikator`, `operator2@kaltara` -> `Operator 2`."""
    role, number = re.fullmatch(r"(.*?)(\d*)", sub.partition("@")[0]).groups()
    name = ROLE_NAMES.get(Role(role)) if role in Role.__members__.values() else None
    return f"{name} {number}".strip() if name else sub


def demo_accounts(subs: list[str]) -> list[tuple[str, list[tuple[str, str]]]]:
    """The demo users by department, for the sign-in page."""

    def tenant_of(sub: str) -> str:
        return sub.partition("@")[2]

    names = _tenant_names()
    return [
        (names.get(tenant, tenant or "Lainnya"), [(sub, account_label(sub)) for sub in subs])
        for tenant, subs in groupby(sorted(subs, key=tenant_of), key=tenant_of)
    ]


@lru_cache(maxsize=1)
def _tenant_names() -> dict[str, str]:
    from shared.config import Settings
    from shared.tenants import load_tenants

    return {tenant.id: tenant.name for tenant in load_tenants(Settings().vidcon_tenants_dir).values()}


def in_indonesian(provider):
    """The provider's Flask app with our templates in front of its own."""
    provider.jinja_loader = ChoiceLoader([FileSystemLoader(str(TEMPLATES)), provider.jinja_loader])
    provider.jinja_env.globals["demo_accounts"] = demo_accounts
    return provider


def main() -> None:
    """The package's own command line (`--port`, `--user-claims`), serving our pages."""
    from oidc_provider_mock import __main__ as command

    build = command.app
    command.app = lambda **config: in_indonesian(build(**config))
    command.run()


if __name__ == "__main__":
    main()
