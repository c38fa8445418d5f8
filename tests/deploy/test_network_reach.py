"""Where each pod of a rendered overlay may connect, as its NetworkPolicies allow it: each
service reaches DNS, NATS, PostgreSQL and what it calls outside, and the gateway only the
services. The policies are evaluated here the way Kubernetes adds them up (a pod selected by
several policies may do what any of them allows)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest

from shared.config import SERVICES
from tests.deploy.test_manifests import OVERLAYS, of_kind, render

WEB_PORT = 8000
IN_CLUSTER = {("dns", 53), ("nats", 4222), ("postgresql", 5432)}
ALL = frozenset(SERVICES)
SENDERS = frozenset({"intake", "complaints"})
OUTSIDE = {  # (port, the services that call it): what they call outside the cluster
    (443, ALL): "the OpenID Connect provider (sign-in)",
    (443, frozenset({"provisioning"})): "the video platform's API (Zoom)",
    (587, SENDERS): "the SMTP relay (mail to contact persons and complainants)",
    (443, SENDERS): "the WhatsApp gateway",
}


@dataclass(frozen=True)
class Pod:
    name: str
    namespace: str
    labels: dict


@pytest.fixture(scope="module", params=OVERLAYS)
def docs(request) -> list[dict]:
    return render(request.param)


def _selects(selector: dict | None, labels: dict) -> bool:
    if selector is None:
        return False
    matched = all(labels.get(k) == v for k, v in selector.get("matchLabels", {}).items())
    for rule in selector.get("matchExpressions", []):
        present, value = rule["key"] in labels, labels.get(rule["key"])
        matched &= {
            "In": present and value in rule.get("values", []),
            "NotIn": not present or value not in rule.get("values", []),
            "Exists": present,
            "DoesNotExist": not present,
        }[rule["operator"]]
    return matched


def destinations(docs: list[dict]) -> list[tuple[str, Pod]]:
    """Every in-cluster peer a Vidcon pod might want: its own pods, DNS, NATS and PostgreSQL."""
    [deployment, *_] = of_kind(docs, "Deployment")
    namespace = deployment["metadata"]["namespace"]
    [env] = [c for c in of_kind(docs, "ConfigMap") if c["metadata"]["name"].startswith("vidcon-env")]
    nats_namespace = urlsplit(env["data"]["NATS_URL"]).hostname.split(".")[1]
    [cluster] = of_kind(docs, "Cluster")
    return [
        *[(d["metadata"]["name"], pod_of(d)) for d in of_kind(docs, "Deployment")],
        ("dns", Pod("coredns", "kube-system", {"k8s-app": "kube-dns"})),
        ("nats", Pod("nats-0", nats_namespace, {"app.kubernetes.io/name": "nats"})),
        ("postgresql", Pod("vidcon-pg-1", namespace, {"cnpg.io/cluster": cluster["metadata"]["name"]})),
    ]


def pod_of(deployment: dict) -> Pod:
    return Pod(
        deployment["metadata"]["name"],
        deployment["metadata"]["namespace"],
        deployment["spec"]["template"]["metadata"]["labels"],
    )


def egress_rules(docs: list[dict], pod: Pod) -> list[dict]:
    policies = [
        p
        for p in of_kind(docs, "NetworkPolicy")
        if p["metadata"]["namespace"] == pod.namespace
        and "Egress" in p["spec"]["policyTypes"]
        and _selects(p["spec"]["podSelector"], pod.labels)
    ]
    assert policies, f"{pod.name}: no egress policy, so it may reach anything"
    return [rule for p in policies for rule in p["spec"].get("egress", [])]


def _peer_selects(peer: dict, source: Pod, target: Pod) -> bool:
    if "ipBlock" in peer:
        return False
    namespace_labels = {"kubernetes.io/metadata.name": target.namespace}
    in_namespace = (
        _selects(peer["namespaceSelector"], namespace_labels)
        if "namespaceSelector" in peer
        else target.namespace == source.namespace
    )
    return in_namespace and ("podSelector" not in peer or _selects(peer["podSelector"], target.labels))


def ports_of(rule: dict) -> set[int]:
    assert "ports" in rule, f"a rule without ports allows every port: {rule}"
    return {p["port"] for p in rule["ports"]}


def reach_in_cluster(docs: list[dict], pod: Pod) -> set[tuple[str, int]]:
    reached = set()
    for rule in egress_rules(docs, pod):
        assert rule.get("to"), f"{pod.name}: a rule without `to` allows every destination"
        for name, target in destinations(docs):
            if any(_peer_selects(peer, pod, target) for peer in rule["to"]):
                reached |= {(name, port) for port in ports_of(rule)}
    return reached


def reach_outside(docs: list[dict], pod: Pod) -> set[tuple[str, int]]:
    return {
        (peer["ipBlock"]["cidr"], port)
        for rule in egress_rules(docs, pod)
        for peer in rule["to"]
        if "ipBlock" in peer
        for port in ports_of(rule)
    }


def services(docs: list[dict]) -> dict[str, Pod]:
    return {d["metadata"]["name"]: pod_of(d) for d in of_kind(docs, "Deployment") if d["metadata"]["name"] in SERVICES}


def test_in_the_cluster_each_service_reaches_only_dns_nats_and_postgresql(docs):
    for name, pod in services(docs).items():
        assert reach_in_cluster(docs, pod) == IN_CLUSTER, f"{name}: services talk to each other only through NATS"


def test_the_gateway_reaches_only_dns_and_the_services_web_port(docs):
    [gateway] = [pod_of(d) for d in of_kind(docs, "Deployment") if d["metadata"]["name"] == "gateway"]
    assert reach_in_cluster(docs, gateway) == {("dns", 53)} | {(s, WEB_PORT) for s in SERVICES}
    assert reach_outside(docs, gateway) == set()


def test_outside_the_cluster_each_service_reaches_only_what_it_calls(docs):
    callers: dict[tuple[str, int], set[str]] = {}
    for name, pod in services(docs).items():
        for destination in reach_outside(docs, pod):
            callers.setdefault(destination, set()).add(name)
    found = sorted((port, sorted(who)) for (_, port), who in callers.items())
    assert found == sorted((port, sorted(who)) for port, who in OUTSIDE), callers


def test_only_the_video_platform_is_reached_at_any_public_address(docs):
    """Zoom's API has many addresses; everything else a service calls is one host the operator names."""
    for name, pod in services(docs).items():
        for rule in egress_rules(docs, pod):
            for block in (peer["ipBlock"] for peer in rule["to"] if "ipBlock" in peer):
                network = ipaddress.ip_network(block["cidr"])
                if network.num_addresses > 1:
                    assert (name, ports_of(rule)) == ("provisioning", {443}), block
                    private = {"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"}
                    assert private <= set(block.get("except", [])), "not the cluster's own addresses"
