"""`vidcon users`: the demo identities of the local sign-in page (the embedded run's OIDC provider)."""

from __future__ import annotations

import json
import warnings
from typing import Any, Optional

import typer
from rich.console import Console
from rich.table import Table

from shared.cli.connection import fail


def users(
    tenant: Optional[str] = typer.Option(None, "--tenant", help="Only this department's users."),
    as_json: bool = typer.Option(False, "--json", help="Print their claims as JSON."),
) -> None:
    """The demo users of the local sign-in page, with their roles.

    One `<role>@<tenant>` per department and role, and the seeded operators, as the embedded run's
    OpenID Connect provider offers them; production signs people in with Keycloak (OIDC_ISSUER).
    """
    try:
        found = _demo_users(tenant)
    except OSError as missing:  # an installed image has no seed files: no demo users either
        raise fail(f"the demo users come with a checkout (scripts/run): {missing}") from None
    if not found:
        raise fail(f"no demo users for tenant {tenant!r}")
    if as_json:
        typer.echo(json.dumps(found, indent=1))
        return
    table = Table("user", "name", "roles", "agency", title=f"{len(found)} demo users")
    for user in found:
        table.add_row(user["sub"], _label(user["sub"]), ", ".join(_roles(user)), user.get("agency", ""))
    Console().print(table)


def _demo_users(tenant: str | None) -> list[dict[str, Any]]:
    from authlib.deprecate import AuthlibDeprecationWarning  # its import sets an "always" filter: ours goes after

    warnings.filterwarnings("ignore", category=AuthlibDeprecationWarning)
    from fakes.identity import demo_users
    from shared.config import Settings
    from shared.tenants import load_tenants

    tenants = list(load_tenants(Settings().vidcon_tenants_dir))
    return demo_users([tenant] if tenant in tenants else [] if tenant else tenants)


def _roles(user: dict[str, Any]) -> list[str]:
    from shared.auth.identity import GROUP_PREFIX

    return [group.removeprefix(GROUP_PREFIX) for group in user["groups"]]


def _label(sub: str) -> str:
    from fakes.identity import account_label

    return account_label(sub)
