"""Issue 11's fault suite: a workload through the public APIs while every part of the system fails.

300 requests across Kaltara (disposition chain: Kepala Dinas passes on, Kabid approves; some
rejected on purpose by the Kepala Dinas) and Tangerang (verifier, then approver), each driven
from upload and submission to a scheduled meeting on the fake Zoom, while the suite breaks
things. Then, with a bounded wait, it checks what the issue asks (see
`test_the_system_loses_and_duplicates_nothing`). Two variants, the same workload and checks:

- `single`: one nats-server. The suite SIGKILLs every service twice at random moments,
  SIGKILLs and restarts nats-server, SIGKILLs and restarts PostgreSQL, and makes the fake Zoom
  slow and then failing for a minute.
- `cluster`: the production engine, a JetStream cluster of three nats-servers on loopback, the
  streams with three replicas (STREAM_REPLICAS=3) and the services given all three addresses.
  The suite SIGKILLs whichever node leads the VIDCON stream, twice (a new leader is elected
  each time; the node is started again on its store a few seconds later and catches up),
  SIGKILLs every service twice, and troubles the fake Zoom as above. A node going away is no
  outage: no 5xx is excused for it. PostgreSQL and whole-NATS restarts are left to `single`
  (each variant adds about four minutes to the test command).

Its own nats-server(s), PostgreSQL, fake Zoom and services, in a temporary folder: killing
them disturbs no other test. Logs stay there when the test fails (the path is printed) or with
KEEP_LOGS=1. FAULT_REQUESTS, FAULT_WORKLOAD_SECONDS and FAULT_SEED change the run; FAULT_TABLE
names a file the result tables are also written to (each variant's, one after the other).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import asyncpg
import httpx
import nats
import pytest
from nats.js.api import ConsumerConfig, DeliverPolicy

from shared.config import REPO_ROOT, SERVICES
from shared.embedded import EmbeddedNats, EmbeddedNatsCluster, EmbeddedPostgres, free_port
from shared.embedded.servers import wait_for_port
from shared.events import CloudEvent, split_type
from shared.config import SERVICES
from shared.launcher import System
from shared.messaging.connect import nats_servers
from shared.messaging.streams import DEAD_LETTER_STREAM, EVENTS_STREAM
from tests.auth import access_token
from tests.integration.intake_support import a_pdf

pytestmark = pytest.mark.timeout(600)

REQUESTS = int(os.environ.get("FAULT_REQUESTS", "300"))
WORKLOAD_SECONDS = float(os.environ.get("FAULT_WORKLOAD_SECONDS", "90"))
CONVERGENCE_SECONDS = 120.0
GRACE_SECONDS = 10.0
"""After an outage ends, clients may still meet its after-effects (broken pooled connections)."""
SEED = int(os.environ.get("FAULT_SEED", str(random.randrange(1_000_000))))
AGENCY = "Badan Perencanaan Pembangunan Daerah"  # the demo requesters' agency (fakes/identity.py)
ZONES = {"kaltara": "Asia/Makassar", "tangerang": "Asia/Jakarta"}
SLOTS = ((8, 0), (10, 30), (13, 0))
"""Meeting starts per day: an hour each, 30 minutes set-up and overrun, clear of each other."""
ACCOUNTS = 3  # host accounts per tenant in provisioning's seed
SCHEMAS = SERVICES  # each service keeps its data in the schema of its name
METRICS = {  # reporting figure <- event type, moment in its data (services/reporting counts the same)
    "request.submitted": ("requests_submitted", ("submitted_at",)),
    "request.verified": ("requests_verified", ("timing", "finished_at")),
    "request.disposed": ("dispositions", ("timing", "finished_at")),
    "request.approved": ("requests_approved", ("timing", "finished_at")),
    "request.rejected": ("requests_rejected", ("timing", "finished_at")),
    "meeting.scheduled": ("meetings_scheduled", ("starts_at",)),
}


# --- the system under test, on its own servers ---------------------------------------------


@dataclass
class Rig:
    variant: str
    root: Path
    nats: EmbeddedNats | EmbeddedNatsCluster
    postgres: EmbeddedPostgres
    zoom: subprocess.Popen
    zoom_url: str
    system: System
    passed: bool = False
    locks: dict[str, asyncio.Lock] = field(default_factory=dict)
    """One per service: a fault and a restart of the same service take turns."""
    respawns: Counter = field(default_factory=Counter)


CLUSTER_SIZE = 3


def nats_for(variant: str, root: Path) -> tuple[EmbeddedNats | EmbeddedNatsCluster, dict[str, str]]:
    """The NATS of a variant, started, and what the services need to know of it."""
    if variant == "single":
        return EmbeddedNats(root / "nats", accounts=True, no_auth_user="admin").start(), {}
    cluster = EmbeddedNatsCluster(root / "nats", CLUSTER_SIZE, accounts=True, no_auth_user="admin").start()
    return cluster, {"STREAM_REPLICAS": str(CLUSTER_SIZE)}


@pytest.fixture(scope="module", params=["single", "cluster"])
def rig(request):
    variant = request.param
    root = Path(tempfile.mkdtemp(prefix=f"vidcon-faults-{variant}-"))
    root.chmod(0o755)
    nats_server, nats_env = nats_for(variant, root)
    nats_server.prepare_public_stream()
    postgres = EmbeddedPostgres(root / "pg").start()
    (root / "logs").mkdir()
    zoom_port = free_port()
    zoom = subprocess.Popen(
        [sys.executable, "-m", "tests.faults.chaos_zoom"],
        cwd=REPO_ROOT,
        env={**os.environ, "PORT": str(zoom_port), "PYTHONUNBUFFERED": "1"},
        stdout=open(root / "logs" / "fake-zoom.log", "ab"),
        stderr=subprocess.STDOUT,
    )
    wait_for_port(zoom_port, zoom)
    zoom_url = f"http://127.0.0.1:{zoom_port}"
    system = System(
        nats_server.url,
        postgres.url,
        root / "logs",
        zoom_api_url=zoom_url,
        nats_passwords=nats_server.passwords,
        extra_env=nats_env,
    )
    built = Rig(variant, root, nats_server, postgres, zoom, zoom_url, system)
    try:
        system.start()
        yield built
    finally:
        system.stop()
        zoom.terminate()
        zoom.wait()
        nats_server.stop()
        postgres.stop()
        if built.passed and not os.environ.get("KEEP_LOGS"):
            shutil.rmtree(root, ignore_errors=True)
        else:
            print(f"\nfault suite: servers' and services' logs kept in {root}")


# --- what happened, as the clients and the fault injector saw it ------------------------------


@dataclass
class Outage:
    what: str
    target: str  # a service, or "*" when every service depends on it (NATS, PostgreSQL)
    start: float
    end: float | None = None


@dataclass
class Call:
    service: str
    method: str
    path: str
    start: float
    end: float
    status: int | str


@dataclass
class Journal:
    outages: list[Outage] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    zoom_faults: list[str] = field(default_factory=list)

    def excused(self, call: Call) -> bool:
        for outage in self.outages:
            if outage.target not in ("*", call.service):
                continue
            end = (outage.end or time.monotonic()) + GRACE_SECONDS
            if call.start <= end and call.end >= outage.start:
                return True
        return False


@dataclass
class Planned:
    index: int
    tenant: str
    starts_at: datetime
    reject: bool
    request_id: str | None = None
    tracking_code: str | None = None
    decided: bool = False
    error: str | None = None


class Refused(Exception):
    pass


class Client:
    """Calls a service and records every answer; retries what an outage explains."""

    def __init__(self, system: System, journal: Journal, http: httpx.AsyncClient, deadline: float):
        self.system, self.journal, self.http, self.deadline = system, journal, http, deadline

    async def call(self, service: str, method: str, path: str, retry_on=(), **kwargs) -> httpx.Response:
        pause = 0.3
        while True:
            start = time.monotonic()
            try:
                response = await self.http.request(method, self.system.url(service) + path, **kwargs)
                status: int | str = response.status_code
            except httpx.HTTPError as error:
                response, status = None, type(error).__name__
            self.journal.calls.append(Call(service, method, path, start, time.monotonic(), status))
            if response is not None and response.status_code < 500 and response.status_code not in retry_on:
                return response
            if time.monotonic() > self.deadline:
                raise Refused(f"{method} {service}{path}: still {status} at the deadline")
            await asyncio.sleep(pause)
            pause = min(pause * 1.5, 2.0)


# --- the workload -------------------------------------------------------------------------------


def working_days(zone: str, count: int, days_ahead: int = 8) -> list[date]:
    import holidays

    closed = holidays.country_holidays("ID", categories=("public", "government"))
    day, found = (datetime.now(ZoneInfo(zone)) + timedelta(days=days_ahead)).date(), []
    while len(found) < count:
        if day.weekday() < 5 and day not in closed:
            found.append(day)
        day += timedelta(days=1)
    return found


def plan(count: int) -> list[Planned]:
    """Alternating tenants; each slot of a day holds as many meetings as the tenant has hosts."""
    per_day = len(SLOTS) * ACCOUNTS
    planned, seen = [], Counter()
    days = {tenant: working_days(zone, count // per_day + 2) for tenant, zone in ZONES.items()}
    for index in range(count):
        tenant = "kaltara" if index % 2 == 0 else "tangerang"
        k = seen[tenant]
        seen[tenant] += 1
        day = days[tenant][k // per_day]
        hour, minute = SLOTS[(k % per_day) // ACCOUNTS]
        starts = datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(ZONES[tenant]))
        planned.append(
            Planned(index, tenant, starts.astimezone(timezone.utc), reject=tenant == "kaltara" and k % 8 == 3)
        )
    return planned


def body_of(item: Planned, document: str) -> dict:
    kind = "request_letter" if item.tenant == "kaltara" else "request_form"
    return {
        "agency": AGENCY,
        "event_name": f"Rapat Koordinasi {item.index:03d}",
        "contact": {"name": "Siti Rahma", "whatsapp": "081234567890", "email": "siti@example.go.id"},
        "starts_at": item.starts_at.isoformat(),
        "ends_at": (item.starts_at + timedelta(hours=1)).isoformat(),
        "online_only": True,
        "venue": "Ruang Rapat",
        "expected_participants": 20,
        "channel": "official_letter" if item.tenant == "kaltara" else "request_form",
        "documents": {kind: document},
    }


async def drive(client: Client, tokens: dict[str, dict], item: Planned) -> None:
    """Upload, submit (with an idempotency key), then every approval step of the tenant's chain."""
    tenant = item.tenant
    requester = tokens[f"requester@{tenant}"]
    kind = "request_letter" if tenant == "kaltara" else "request_form"
    try:
        uploaded = await client.call(
            "intake",
            "POST",
            f"/api/{tenant}/documents",
            headers=requester,
            data={"kind": kind},
            files={"file": ("surat.pdf", a_pdf(), "application/pdf")},
        )
        if uploaded.status_code != 201:
            raise Refused(f"upload {uploaded.status_code} {uploaded.text[:300]}")
        key = {"Idempotency-Key": f"faults-{uuid.uuid4()}"}
        submitted = await client.call(
            "intake",
            "POST",
            f"/api/{tenant}/requests",
            headers=requester | key,
            json=body_of(item, uploaded.json()["document_ref"]),
        )
        if submitted.status_code != 201:
            raise Refused(f"submit {submitted.status_code} {submitted.text[:300]}")
        item.request_id, item.tracking_code = submitted.json()["request_id"], submitted.json()["tracking_code"]
        if tenant == "kaltara":
            first = ("pass", "head_of_department", "dispose_to_head_of_division", {})
            if item.reject:
                await act(
                    client,
                    tokens,
                    item,
                    "reject",
                    "head_of_department",
                    "dispose_to_head_of_division",
                    {"reason": "Tidak sesuai ketentuan layanan"},
                )
                item.decided = True
                return
            await act(client, tokens, item, *first)
            await act(client, tokens, item, "approve", "head_of_division", "dispose_to_technical_team", {})
        else:
            await act(client, tokens, item, "verify", "verifier", "receive_and_verify", {"checked": ["request_form"]})
            await act(client, tokens, item, "approve", "approver", "approve_by_signature", {})
        item.decided = True
    except Refused as refused:
        item.error = str(refused)


async def act(client: Client, tokens: dict, item: Planned, action: str, role: str, step: str, extra: dict) -> None:
    """404 until approval has the request. After a retry, a refusal is success when the case has
    left `step` (an earlier try did it and its answer was lost): a 409 (changed meanwhile), or a
    403 once the step after it belongs to another role."""
    path = f"/api/{item.tenant}/requests/{item.request_id}/{action}"
    headers = tokens[f"{role}@{item.tenant}"]
    while True:
        answer = await client.call(
            "approval", "POST", path, retry_on=(404,), headers=headers, json={"role": role, **extra}
        )
        if answer.status_code == 200:
            return
        if answer.status_code in (403, 409):
            if await left_step(client, item, headers, step):
                return
            if answer.status_code == 403 or time.monotonic() > client.deadline:
                raise Refused(f"{action} {answer.status_code} {answer.text[:300]}")
            await asyncio.sleep(0.5)
            continue
        raise Refused(f"{action} {answer.status_code} {answer.text[:300]}")


async def left_step(client: Client, item: Planned, headers: dict, step: str) -> bool:
    answer = await client.call("approval", "GET", f"/api/{item.tenant}/requests/{item.request_id}", headers=headers)
    if answer.status_code != 200:
        return False
    view = answer.json()
    return view.get("status") == "closed" or view.get("step") != step


async def run_workload(client: Client, tokens: dict, planned: list[Planned]) -> None:
    gap = WORKLOAD_SECONDS / len(planned)
    tasks = []
    for item in planned:
        tasks.append(asyncio.create_task(drive(client, tokens, item)))
        await asyncio.sleep(gap)
    await asyncio.gather(*tasks)


# --- the faults ---------------------------------------------------------------------------------


async def up(rig: Rig, name: str, timeout: float = 90.0) -> None:
    """Ready again; as a supervisor (Kubernetes) would, start it again whenever it exits (a service
    that starts while PostgreSQL is down fails its migrations and exits)."""
    system = rig.system
    deadline = time.monotonic() + timeout
    while True:
        if system.processes[name].poll() is not None:
            rig.respawns[name] += 1
            await asyncio.sleep(1.0)
            await asyncio.to_thread(system.start_service, name)
        try:
            async with httpx.AsyncClient() as http:
                if (await http.get(f"{system.url(name)}/readyz", timeout=1)).status_code == 200:
                    return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"{name} not ready after {timeout} s; see {system.log_dir / (name + '.log')}")
        await asyncio.sleep(0.2)


async def all_ready(rig: Rig, timeout: float = 90.0) -> None:
    for name in SERVICES:
        async with rig.locks.setdefault(name, asyncio.Lock()):
            await up(rig, name, timeout)


async def kill_services(rig: Rig, journal: Journal, rng: random.Random, t0: float) -> None:
    """Every service SIGKILLed twice at random moments, restarted after a short while."""
    names = list(SERVICES) * 2
    rng.shuffle(names)
    moments = sorted(rng.uniform(2, WORKLOAD_SECONDS - 8) for _ in names)
    for name, moment in zip(names, moments):
        await asyncio.sleep(max(0.0, t0 + moment - time.monotonic()))
        async with rig.locks.setdefault(name, asyncio.Lock()):
            outage = Outage("SIGKILL", name, time.monotonic())
            journal.outages.append(outage)
            await asyncio.to_thread(rig.system.kill, name)
            await asyncio.sleep(rng.uniform(0.3, 2.0))
            await asyncio.to_thread(rig.system.start_service, name)
            await up(rig, name)
            outage.end = time.monotonic()


async def kill_nats(rig: Rig, journal: Journal, rng: random.Random, t0: float) -> None:
    await asyncio.sleep(max(0.0, t0 + rng.uniform(0.25, 0.4) * WORKLOAD_SECONDS - time.monotonic()))
    outage = Outage("SIGKILL nats-server", "*", time.monotonic())
    journal.outages.append(outage)
    await asyncio.to_thread(rig.nats.kill)
    await asyncio.sleep(rng.uniform(1.0, 3.0))
    await asyncio.to_thread(rig.nats.start)  # same port, same store
    await all_ready(rig)
    outage.end = time.monotonic()


async def kill_stream_leader(rig: Rig, journal: Journal, rng: random.Random, t0: float) -> None:
    """On the cluster: SIGKILL the node that leads VIDCON, twice (the second time most likely
    another node, the one elected after the first), each started again on its store a few
    seconds later. Clients move to the other nodes; a node's loss excuses no 5xx."""
    for window in ((0.25, 0.4), (0.6, 0.75)):
        await asyncio.sleep(max(0.0, t0 + rng.uniform(*window) * WORKLOAD_SECONDS - time.monotonic()))
        leader = (await stream_states(rig.nats.url))[EVENTS_STREAM][1]
        node = rig.nats.node(leader)
        outage = Outage("SIGKILL nats node", f"{leader} (VIDCON leader)", time.monotonic())
        journal.outages.append(outage)
        await asyncio.to_thread(node.kill)
        await asyncio.sleep(rng.uniform(3.0, 6.0))
        await asyncio.to_thread(node.start)  # same ports, same store: it catches up
        await asyncio.to_thread(rig.nats.wait_healthy)
        await all_ready(rig)
        outage.end = time.monotonic()


async def restart_postgres(rig: Rig, journal: Journal, rng: random.Random, t0: float) -> None:
    await asyncio.sleep(max(0.0, t0 + rng.uniform(0.55, 0.7) * WORKLOAD_SECONDS - time.monotonic()))
    outage = Outage("SIGKILL+restart PostgreSQL", "*", time.monotonic())
    journal.outages.append(outage)
    await asyncio.to_thread(rig.postgres.kill)
    await asyncio.sleep(rng.uniform(1.0, 3.0))
    await asyncio.to_thread(rig.postgres.start)  # same data, same port: crash recovery
    await all_ready(rig)
    outage.end = time.monotonic()


async def trouble_zoom(rig: Rig, journal: Journal, rng: random.Random, t0: float) -> None:
    """Slow for 20 s (every call 1.5 s late, two creates answered only after the client's timeout),
    then every call a 503 for a minute."""
    async with httpx.AsyncClient(base_url=rig.zoom_url) as zoom:
        await asyncio.sleep(max(0.0, t0 + 0.1 * WORKLOAD_SECONDS - time.monotonic()))
        (await zoom.post("/_chaos/slow", params={"seconds": 20, "delay": 1.5})).raise_for_status()
        (await zoom.post("/_fake/slow_creates", params={"count": 2, "seconds": 17})).raise_for_status()
        journal.zoom_faults.append("fake Zoom slow 20 s (1.5 s a call; 2 creates answered after 17 s)")
        await asyncio.sleep(20)
        (await zoom.post("/_chaos/fail", params={"seconds": 60})).raise_for_status()
        journal.zoom_faults.append("fake Zoom 503 on every call for 60 s")
        await asyncio.sleep(60)


# --- the truth, from the services' own tables, the stream and the fake Zoom ------------------------


async def events_of(db: asyncpg.Connection) -> dict[str, list[asyncpg.Record]]:
    found = {}
    for schema in SCHEMAS:
        exists = await db.fetchval("select to_regclass($1)", f"{schema}.events")
        found[schema] = (
            await db.fetch(
                f"select event_id::text, stream_id, stream_version, tenant, type, envelope from {schema}.events"
                " order by position"
            )
            if exists
            else []
        )
    return found


def base_type(type_: str) -> str:
    try:
        return split_type(type_)[0]
    except ValueError:
        return type_


def moment_of(envelope, path: tuple[str, ...]) -> datetime | None:
    data = json.loads(envelope) if isinstance(envelope, str) else envelope
    value = data.get("data", {})
    for key in path:
        value = (value or {}).get(key)
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def truth_figures(events: dict[str, list]) -> dict[tuple[str, str], Counter]:
    """(tenant, month) -> figure -> count, each event in its moment's month in the tenant's zone."""
    figures: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for rows in events.values():
        for row in rows:
            metric = METRICS.get(base_type(row["type"]))
            if metric is None or row["tenant"] not in ZONES:
                continue
            moment = moment_of(row["envelope"], metric[1])
            month = moment.astimezone(ZoneInfo(ZONES[row["tenant"]])).strftime("%Y-%m")
            figures[(row["tenant"], month)][metric[0]] += 1
    return figures


async def zoom_meetings(rig: Rig) -> tuple[Counter, dict]:
    async with httpx.AsyncClient() as http:
        state = (await http.get(f"{rig.zoom_url}/_chaos/meetings", timeout=10)).json()
    per_request = Counter()
    for meeting in state["meetings"]:
        agenda = meeting["agenda"] or ""
        if agenda.startswith("[vidcon:"):
            per_request[agenda[len("[vidcon:") : agenda.index("]")]] += 1
    return per_request, state


async def stream_states(url: str) -> dict[str, tuple[int, str | None]]:
    """Each stream's replicas and the server that leads it."""
    nc = await nats.connect(nats_servers(url), allow_reconnect=False)
    try:
        js, found = nc.jetstream(), {}
        for stream in (EVENTS_STREAM, DEAD_LETTER_STREAM):
            info = await js.stream_info(stream)
            found[stream] = (info.config.num_replicas, info.cluster.leader if info.cluster else None)
        return found
    finally:
        await nc.close()


async def stream_ids(url: str, stream: str) -> list[str]:
    nc = await nats.connect(nats_servers(url), allow_reconnect=False)
    try:
        js = nc.jetstream()
        info = await js.stream_info(stream)
        if info.state.messages == 0:
            return []
        sub = await js.pull_subscribe(
            ">" if stream == EVENTS_STREAM else "vidcon_dlq.>",
            durable=None,
            stream=stream,
            config=ConsumerConfig(deliver_policy=DeliverPolicy.ALL, inactive_threshold=30),
        )
        ids = []
        while len(ids) < info.state.messages:
            try:
                batch = await sub.fetch(1000, timeout=2)
            except asyncio.TimeoutError:
                break
            for message in batch:
                try:
                    ids.append(CloudEvent.from_json(message.data).id)
                except Exception:  # noqa: BLE001  counted as unreadable
                    ids.append(f"unreadable:{message.metadata.sequence.stream}")
                await message.ack()
        await sub.unsubscribe()
        return ids
    finally:
        await nc.close()


@dataclass
class Findings:
    unfinished: list[str]
    duplicated_meetings: dict[str, int]
    meetings_of_rejected: dict[str, int]
    figure_mismatches: list[str]

    @property
    def converged(self) -> bool:
        return not (self.unfinished or self.duplicated_meetings or self.meetings_of_rejected or self.figure_mismatches)


async def look(
    rig: Rig, accepted: list[Planned], reporting: httpx.AsyncClient, tokens: dict[str, dict]
) -> tuple[Findings, dict]:
    db = await asyncpg.connect(rig.postgres.url)
    try:
        events = await events_of(db)
    finally:
        await db.close()
    per_request = defaultdict(Counter)
    for rows in events.values():
        for row in rows:
            data = (json.loads(row["envelope"]) if isinstance(row["envelope"], str) else row["envelope"]).get(
                "data"
            ) or {}
            per_request[data.get("request_id") or row["stream_id"][-36:]][base_type(row["type"])] += 1
    meetings, _ = await zoom_meetings(rig)
    unfinished, duplicated, of_rejected = [], {}, {}
    for item in accepted:
        seen = per_request[item.request_id]
        if item.reject:
            if seen["request.rejected"] != 1:
                unfinished.append(f"{item.request_id} ({item.tenant}) not rejected: {dict(seen)}")
            if meetings[item.request_id]:
                of_rejected[item.request_id] = meetings[item.request_id]
        else:
            if seen["request.approved"] != 1 or seen["meeting.scheduled"] != 1 or meetings[item.request_id] == 0:
                unfinished.append(
                    f"{item.request_id} ({item.tenant}) not scheduled once: {dict(seen)},"
                    f" zoom meetings {meetings[item.request_id]}"
                )
            if meetings[item.request_id] > 1:
                duplicated[item.request_id] = meetings[item.request_id]
    mismatches = []
    truth = truth_figures(events)
    for (tenant, month), expected in sorted(truth.items()):
        try:
            answer = await reporting.get(
                f"/api/{tenant}/reports/monthly",
                params={"month": month},
                timeout=10,
                headers=tokens[f"leader@{tenant}"],
            )
            shown = answer.json()["figures"] if answer.status_code == 200 else None
        except httpx.HTTPError as error:
            shown = None
            answer = error
        if shown is None:
            mismatches.append(f"{tenant} {month}: reporting answered {answer}")
            continue
        for metric in {m for m, _ in METRICS.values()}:
            if shown.get(metric, 0) != expected.get(metric, 0):
                mismatches.append(
                    f"{tenant} {month} {metric}: reporting {shown.get(metric, 0)},"
                    f" services' tables {expected.get(metric, 0)}"
                )
    return Findings(unfinished, duplicated, of_rejected, mismatches), events


async def tracking(rig: Rig, http: httpx.AsyncClient, decided: list[Planned], tokens: dict) -> Counter:
    """(rejected on purpose, the status intake's tracking shows) -> requests."""
    tracked = Counter()
    for item in decided:
        status = await http.get(
            f"{rig.system.url('intake')}/api/{item.tenant}/tracking/{item.tracking_code}",
            headers=tokens[f"requester@{item.tenant}"],
        )
        tracked[(item.reject, status.json().get("status") if status.status_code == 200 else status.status_code)] += 1
    return tracked


def other_states(tracked: Counter) -> dict:
    return {k: n for k, n in tracked.items() if k[1] != ("rejected" if k[0] else "scheduled")}


def gaps_and_twins(events: dict[str, list]) -> tuple[list[str], list[str]]:
    gaps, ids = [], Counter()
    for schema, rows in events.items():
        versions = defaultdict(list)
        for row in rows:
            versions[row["stream_id"]].append(row["stream_version"])
            ids[row["event_id"]] += 1
        for stream, seen in versions.items():
            if sorted(seen) != list(range(1, len(seen) + 1)):
                gaps.append(f"{schema}.events stream {stream}: versions {sorted(seen)}")
    return gaps, [i for i, n in ids.items() if n > 1]


def table(rows: list[tuple[str, str]]) -> str:
    width, wide = max(len(k) for k, _ in rows), max(len(v) for _, v in rows)
    line = "+" + "-" * (width + 2) + "+" + "-" * (wide + 2) + "+"
    return "\n".join([line, *[f"| {k:<{width}} | {v:<{wide}} |" for k, v in rows], line])


# --- the test -------------------------------------------------------------------------------------

TOKEN_REFRESH_SECONDS = 60
FAULTS = {
    "single": (kill_services, kill_nats, restart_postgres, trouble_zoom),
    "cluster": (kill_services, kill_stream_leader, trouble_zoom),
}
TABLES: list[str] = []
"""The tables printed in this run, for FAULT_TABLE."""


async def keep_fresh(tokens: dict[str, dict[str, str]], issuer: str) -> None:
    """Access tokens expire: on a loaded machine the run outlasts the first ones."""
    while True:
        await asyncio.sleep(TOKEN_REFRESH_SECONDS)
        for sub in list(tokens):
            with contextlib.suppress(OSError, httpx.HTTPError):
                tokens[sub] = {"Authorization": f"Bearer {await access_token(issuer, sub)}"}


async def test_the_system_loses_and_duplicates_nothing(rig: Rig):
    rng = random.Random(SEED)
    journal = Journal()
    planned = plan(REQUESTS)
    issuer = rig.system.oidc_issuer
    subjects = {f"{role}@{tenant}" for tenant in ZONES for role in ("requester", "leader")}
    subjects |= {"head_of_department@kaltara", "head_of_division@kaltara", "verifier@tangerang", "approver@tangerang"}
    tokens = {sub: {"Authorization": f"Bearer {await access_token(issuer, sub)}"} for sub in sorted(subjects)}
    refreshing = asyncio.create_task(keep_fresh(tokens, issuer))

    started = time.monotonic()
    limits = httpx.Limits(max_connections=60, max_keepalive_connections=20)
    async with (
        httpx.AsyncClient(timeout=15, limits=limits) as http,
        httpx.AsyncClient(base_url=rig.system.url("reporting")) as reporting,
    ):
        client = Client(rig.system, journal, http, deadline=started + WORKLOAD_SECONDS + 90)
        faults = [asyncio.create_task(fault(rig, journal, rng, started)) for fault in FAULTS[rig.variant]]
        await run_workload(client, tokens, planned)
        await asyncio.gather(*faults)
        quiet = time.monotonic()  # the workload is in and every fault is over

        accepted = [item for item in planned if item.request_id]
        decided = [item for item in accepted if item.decided]
        findings = None
        while time.monotonic() < quiet + CONVERGENCE_SECONDS:
            try:
                findings, events = await look(rig, decided, reporting, tokens)
                if findings.converged and not other_states(await tracking(rig, http, decided, tokens)):
                    break
            except (OSError, asyncpg.PostgresError, httpx.HTTPError) as error:
                print(f"fault suite: looking failed ({error!r}); again")
            await asyncio.sleep(2)
        convergence = time.monotonic() - quiet
        findings, events = await look(rig, decided, reporting, tokens)
        tracked = await tracking(rig, http, decided, tokens)

    refreshing.cancel()
    gaps, twins_in_tables = gaps_and_twins(events)
    in_tables = {row["event_id"] for rows in events.values() for row in rows}
    in_stream = await stream_ids(rig.nats.url, EVENTS_STREAM)
    twins_in_stream = [i for i, n in Counter(in_stream).items() if n > 1]
    missing_from_stream = in_tables - set(in_stream)
    dead_letters = await stream_ids(rig.nats.url, DEAD_LETTER_STREAM)
    streams = await stream_states(rig.nats.url)
    replicas_wanted = CLUSTER_SIZE if rig.variant == "cluster" else 1
    _, zoom_state = await zoom_meetings(rig)
    unexcused = [
        c for c in journal.calls if (not isinstance(c.status, int) or c.status >= 500) and not journal.excused(c)
    ]
    failures_seen = sum(1 for c in journal.calls if not isinstance(c.status, int) or c.status >= 500)
    not_accepted = [item for item in planned if not item.request_id]
    undecided = [item for item in accepted if not item.decided]

    lost = len(not_accepted) + len(undecided) + len(findings.unfinished) + len(missing_from_stream)
    duplicated = sum(n - 1 for n in findings.duplicated_meetings.values()) + len(twins_in_stream) + len(twins_in_tables)
    kills = Counter(o.target for o in journal.outages if o.what == "SIGKILL")
    rows = [
        (
            "variant",
            f"{rig.variant}: "
            + ("one nats-server" if rig.variant == "single" else f"JetStream cluster of {CLUSTER_SIZE} nats-servers"),
        ),
        (
            "streams",
            ", ".join(
                f"{name} R{n}" + (f" (leader now {leader})" if rig.variant == "cluster" else "")
                for name, (n, leader) in streams.items()
            ),
        ),
        (
            "requests",
            f"{len(planned)} planned, {len(accepted)} accepted, {sum(i.reject for i in accepted)} rejected on purpose",
        ),
        ("faults injected", f"{len(journal.outages) + len(journal.zoom_faults)} (seed {SEED})"),
        *[
            (f"  {o.what}", f"{o.target} at {o.start - started:5.1f} s, down {(o.end or o.start) - o.start:4.1f} s")
            for o in sorted(journal.outages, key=lambda o: o.start)
        ],
        *[("  fake Zoom", z) for z in journal.zoom_faults],
        ("service kills", ", ".join(f"{name} x{kills[name]}" for name in SERVICES)),
        ("respawned", ", ".join(f"{n} x{k}" for n, k in rig.respawns.items()) or "none (no exit on its own)"),
        (
            "lost",
            f"{lost} (not accepted {len(not_accepted)}, undecided {len(undecided)}, unfinished "
            f"{len(findings.unfinished)}, events not in stream {len(missing_from_stream)})",
        ),
        (
            "duplicated",
            f"{duplicated} (extra Zoom meetings {sum(n - 1 for n in findings.duplicated_meetings.values())},"
            f" ids twice in stream {len(twins_in_stream)})",
        ),
        ("events", f"{len(in_tables)} in tables, {len(in_stream)} in stream, {len(gaps)} version gaps"),
        ("dead letters", str(len(dead_letters))),
        ("reporting mismatches", str(len(findings.figure_mismatches))),
        ("HTTP calls", f"{len(journal.calls)}; 5xx/conn errors {failures_seen}, outside outages {len(unexcused)}"),
        (
            "zoom meetings",
            f"{len(zoom_state['meetings'])}; fake answered 503 {zoom_state['failed']}x, slowed {zoom_state['slowed']}x",
        ),
        (
            "intake status",
            ", ".join(
                f"{'rejected-plan' if r else 'approve-plan'}:{s}={n}" for (r, s), n in sorted(tracked.items(), key=str)
            ),
        ),
        (
            "convergence",
            f"{convergence:.1f} s (bound {CONVERGENCE_SECONDS:.0f} s); total {time.monotonic() - started:.0f} s",
        ),
    ]
    printed = table(rows)
    print("\n" + printed)
    TABLES.append(printed)
    if os.environ.get("FAULT_TABLE"):
        Path(os.environ["FAULT_TABLE"]).write_text("\n\n".join(TABLES) + "\n")

    problems = []
    if any(n != replicas_wanted for n, _ in streams.values()):
        problems.append(f"streams' replicas {streams}, expected {replicas_wanted} each")
    if not_accepted:
        problems.append(f"{len(not_accepted)} requests never accepted: {[i.error for i in not_accepted][:5]}")
    if undecided:
        problems.append(f"{len(undecided)} requests not taken through approval: {[i.error for i in undecided][:5]}")
    if findings.unfinished:
        problems.append(
            f"{len(findings.unfinished)} accepted requests not in their final state: {findings.unfinished[:5]}"
        )
    if findings.duplicated_meetings or findings.meetings_of_rejected:
        problems.append(
            f"Zoom meetings twice: {findings.duplicated_meetings}; for rejected requests:"
            f" {findings.meetings_of_rejected}"
        )
    if twins_in_stream or twins_in_tables:
        problems.append(f"event ids twice: stream {twins_in_stream[:5]}, tables {twins_in_tables[:5]}")
    if missing_from_stream:
        problems.append(
            f"{len(missing_from_stream)} events of the services' tables not in the stream:"
            f" {sorted(missing_from_stream)[:5]}"
        )
    if gaps:
        problems.append(f"version gaps: {gaps[:5]}")
    if findings.figure_mismatches:
        problems.append(f"reporting figures differ from the services' tables: {findings.figure_mismatches[:10]}")
    if dead_letters:
        problems.append(f"{len(dead_letters)} dead letters, the suite poisoned none: {dead_letters[:5]}")
    if unexcused:
        problems.append(
            f"{len(unexcused)} 5xx or connection errors while nothing was down: "
            f"{[(c.service, c.method, c.path, c.status, round(c.start - started, 1)) for c in unexcused][:8]}"
        )
    wrong_status = other_states(tracked)
    if wrong_status:
        problems.append(f"intake's tracking shows other states: {wrong_status}")
    assert not problems, "\n".join(problems) + f"\nlogs: {rig.root / 'logs'}"
    rig.passed = True
