"""A local OpenID Connect provider (`oidc-provider-mock`) with one demo user per tenant and role.

Its sign-in page lists the demo users (`<role>@<tenant>`); any other subject can be typed in
and gets no role. Production uses Keycloak with the same claims: `groups` as
`/vidcon/<tenant>/<role>` and `agency` for requesters.
"""
from __future__ import annotations

import json
import sys

import yaml

from shared.auth.identity import GROUP_PREFIX, Role

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


def provider_command(port: int, tenants: list[str]) -> list[str]:
    users = [demo_user(tenant, role) for tenant in sorted(tenants) for role in Role]
    users += [user for tenant in sorted(tenants) for user in seeded_operators(tenant)]
    return [sys.executable, "-m", "oidc_provider_mock", "--port", str(port),
            *[arg for user in users for arg in ("--user-claims", json.dumps(user))]]
