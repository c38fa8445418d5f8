"""`vidcon tenants validate <file>`: a tenant profile checked as the services check it at start-up."""

from __future__ import annotations

from pathlib import Path

import typer

from shared.cli.connection import fail
from shared.tenants import TenantProfile, TenantProfileError, load_tenant, load_tenants

app = typer.Typer(help="Tenant profiles: each department's SOP as data (tenants/*.yaml).", no_args_is_help=True)


@app.command("validate")
def validate(
    path: Path = typer.Argument(..., help="A profile (.yaml), or a folder of them as VIDCON_TENANTS_DIR.", exists=True),
) -> None:
    """Check a profile, or a folder of profiles, as a service does at start-up.

    Every problem is named by file and field, in the same words; exit code 1 when there is any.
    """
    try:
        profiles = _load(path)
    except TenantProfileError as error:
        raise fail(str(error), 1) from None
    for profile in profiles:
        typer.echo(f"{profile.id}: {profile.name}: valid")


def _load(path: Path) -> list[TenantProfile]:
    if path.is_dir():
        return list(load_tenants(path).values())
    return [load_tenant(path)]
