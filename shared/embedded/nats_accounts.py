"""The embedded nats-server gets the production accounts and permissions (deploy/nats/values.yaml).

Only the login differs: each `nkey: << $NATS_NKEY_X >>` becomes user `x` with a password
generated once and kept in the data folder, so the embedded run needs no NKey tooling.
"""

from __future__ import annotations

from typing import Any
import json
import re
import secrets
from pathlib import Path

import yaml

from shared.config import REPO_ROOT

VALUES = REPO_ROOT / "deploy" / "nats" / "values.yaml"
NKEY_PLACEHOLDER = re.compile(r"<< \$NATS_NKEY_(\w+) >>")


def production_accounts() -> dict[str, Any]:
    """`config.merge` of the Helm values: system account, accounts, users, permissions."""
    accounts: dict[str, Any] = yaml.safe_load(VALUES.read_text())["config"]["merge"]
    return accounts


def user_name(placeholder: str) -> str:
    found = NKEY_PLACEHOLDER.fullmatch(placeholder)
    if found is None:
        raise ValueError(f"not an NKey placeholder: {placeholder!r}")
    return found.group(1).lower().replace("_", "-")


def passwords_for(data_dir: Path) -> dict[str, str]:
    """One password per user, made on first start and kept (0600) across restarts; a user added to
    the accounts since (a new agency) gets one on the next start."""
    path = data_dir / "users.json"
    kept = json.loads(path.read_text()) if path.exists() else {}
    names = [user_name(u["nkey"]) for a in production_accounts()["accounts"].values() for u in a.get("users", [])]
    passwords = {name: kept.get(name) or secrets.token_urlsafe(18) for name in names}
    if passwords != kept:
        path.write_text(json.dumps(passwords, indent=1))
        path.chmod(0o600)
    return passwords


def accounts_config(passwords: dict[str, str], no_auth_user: str | None = None) -> str:
    """nats-server config text (JSON is valid nats.conf) for the accounts section."""
    merge = json.loads(json.dumps(production_accounts()))
    for account in merge["accounts"].values():
        for user in account.get("users", []):
            name = user_name(user.pop("nkey"))
            user.update(user=name, password=passwords[name])
    if no_auth_user:
        merge["no_auth_user"] = no_auth_user
    return "\n".join(f"{key}: {json.dumps(value)}" for key, value in merge.items())
