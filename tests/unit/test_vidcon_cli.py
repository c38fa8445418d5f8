"""`vidcon` as an operator types it (a process of its own): the commands that need no server."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys

import pytest
import typer.main

from fakes.identity import demo_users
from shared.cli import app
from shared.config import REPO_ROOT
from shared.tenants import TenantProfileError, load_tenant, load_tenants
from tests.conftest import child_env

COMMANDS = ("replay", "dlq", "stream", "tenants", "survey", "users", "gateway", "contracts", "serve", "run", "feed")
INDONESIAN = re.compile(r"\b(yang|dan|untuk|dari|tidak|belum|dengan|atau|ini|itu|tercatat|semua|ke|di)\b", re.I)


def vidcon(*args: str, timeout: int = 60, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "shared.cli", *args],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=child_env(**env),
        timeout=timeout,
    )


def help_texts(command, path: str = "vidcon") -> dict[str, str]:
    """Every help text an operator can read: each group's, command's, argument's and option's."""
    texts = {path: command.help or ""}
    texts |= {f"{path} {p.name}": getattr(p, "help", None) or "" for p in command.params}
    for name, sub in getattr(command, "commands", {}).items():
        texts |= help_texts(sub, f"{path} {name}")
    return texts


def test_vidcon_help_names_every_command():
    shown = vidcon("--help")

    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("\n Usage: vidcon") or "Usage: vidcon" in shown.stdout
    listed = re.findall(r"^│ (\S+) ", shown.stdout, re.M)
    assert set(COMMANDS) <= set(listed), listed


def test_every_help_text_is_in_english_and_says_something():
    texts = help_texts(typer.main.get_command(app))

    assert [path for path, text in texts.items() if INDONESIAN.search(text)] == []
    assert [path for path, text in texts.items() if not text and not path.endswith(" help")] == []


def test_the_dead_letters_group_answers_under_its_old_name_too():
    for group in ("dlq", "dead-letters"):
        shown = vidcon(group, "--help")
        commands = set(re.findall(r"^│ (\S+) ", shown.stdout, re.M))
        assert shown.returncode == 0 and {"list", "show", "redrive"} <= commands


def test_tenants_validate_accepts_the_shipped_profiles():
    one = vidcon("tenants", "validate", "tenants/kaltara.yaml")
    every = vidcon("tenants", "validate", "tenants")

    assert one.returncode == 0 and one.stdout.startswith("kaltara: Dinas Komunikasi") and "valid" in one.stdout
    assert every.returncode == 0 and len(every.stdout.splitlines()) == len(load_tenants(REPO_ROOT / "tenants"))


def test_tenants_validate_gives_the_errors_a_service_gives_at_start_up(tmp_path):
    broken = tmp_path / "kaltara.yaml"
    text = (REPO_ROOT / "tenants" / "kaltara.yaml").read_text()
    broken.write_text(
        text.replace("time_zone: Asia/Makassar", "time_zone: Mars/Olympus").replace("service_unit:", "service_unti:")
    )
    with pytest.raises(TenantProfileError) as at_start_up:
        load_tenant(broken)

    refused = vidcon("tenants", "validate", str(broken))

    assert refused.returncode == 1 and refused.stdout == ""
    assert refused.stderr.strip() == str(at_start_up.value)
    assert "service_unti: unknown key" in refused.stderr and "time_zone" in refused.stderr


def test_tenants_validate_of_a_folder_finds_an_id_used_twice(tmp_path):
    for name in ("kaltara.yaml", "copy.yaml"):
        (tmp_path / name).write_text((REPO_ROOT / "tenants" / "kaltara.yaml").read_text())

    refused = vidcon("tenants", "validate", str(tmp_path))

    assert refused.returncode == 1 and "'kaltara' is already used by" in refused.stderr


def test_users_lists_the_demo_identities_the_local_sign_in_page_offers():
    tenants = list(load_tenants(REPO_ROOT / "tenants"))
    listed = vidcon("users", "--json")
    table = vidcon("users", "--tenant", "kaltara")

    assert listed.returncode == 0, listed.stderr
    users = json.loads(listed.stdout)
    assert users == demo_users(tenants)
    verifier = next(user for user in users if user["sub"] == "verifier@kaltara")
    assert verifier["groups"] == ["/vidcon/kaltara/verifier"]
    assert table.returncode == 0 and "verifier@kaltara" in table.stdout and "Verifikator" in table.stdout
    assert "@gorontalo" not in table.stdout and table.stderr == ""
    assert vidcon("users", "--tenant", "atlantis").returncode == 2


def test_gateway_and_contracts_say_the_checked_in_files_are_up_to_date():
    for args, module in ((["gateway", "--check"], "shared.gateway"), (["contracts", "--check"], "shared.contracts")):
        checked = vidcon(*args)
        by_module = subprocess.run(
            [sys.executable, "-m", module, "--check"], capture_output=True, text=True, cwd=REPO_ROOT, timeout=60
        )
        assert checked.returncode == 0 and "up to date" in checked.stdout, checked.stderr
        assert by_module.returncode == 0 and by_module.stdout == checked.stdout


def test_gateway_rewrites_the_caddyfile_as_checked_in():
    from shared.gateway.caddyfile import CADDYFILE

    before = CADDYFILE.read_text()
    written = vidcon("gateway")

    assert written.returncode == 0 and written.stdout.strip() == str(CADDYFILE)
    assert CADDYFILE.read_text() == before


def test_serve_names_the_five_services_and_refuses_another():
    refused = vidcon("serve", "zoom")

    assert refused.returncode == 2
    assert all(service in refused.stderr for service in ("intake", "approval", "provisioning", "reporting"))


def test_run_refuses_a_taken_port_and_starts_nothing(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        port = taken.getsockname()[1]
        refused = vidcon("run", VIDCON_PORT=str(port), VIDCON_DATA=str(tmp_path))

    assert refused.returncode == 1
    assert f"Vidcon cannot start: port {port} is already in use" in refused.stderr
    assert "Vidcon stopped." in refused.stdout and not (tmp_path / "nats").exists()


def test_a_command_that_cannot_reach_nats_says_where_it_tried():
    from shared.embedded import free_port

    url = f"nats://127.0.0.1:{free_port()}"
    unreachable = vidcon("dlq", "list", NATS_URL=url)

    assert unreachable.returncode == 3 and f"NATS ({url})" in unreachable.stderr


def test_the_installed_vidcon_command_is_this_app():
    import importlib
    import tomllib

    target = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]["scripts"]["vidcon"]
    module, _, attribute = target.partition(":")

    assert getattr(importlib.import_module(module), attribute) is app
