"""Benchmark: from an official's approval click to the meeting link on the requester's live status page.

    .venv/bin/python -m bench.latency [--single 10] [--concurrent 50]

Starts its own nats-server, PostgreSQL, fakes (Zoom included) and the intake, approval and
provisioning services. Each workflow is prepared untimed: the requester (`requester@kaltara`,
a bearer token) uploads a letter and submits a request at a slot of its own, the head of
department disposes it, and the requester's status page stream (intake's SSE,
`/t/kaltara/lacak/<code>/peristiwa`) is opened. Timed: from the head of division's click
(the form POST of the approval page, as a browser logged in through the identity provider)
until that stream shows the meeting link. `--single` workflows one after another, then
`--concurrent` clicked at once. Beside it, in the same run, a bare JetStream round trip
(publish with acknowledgement, then a subscriber receives it) one at a time and as many at once.
Goal: p99 < 1 s at 50 concurrent workflows.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import re
import time
from dataclasses import dataclass
from functools import partial

import httpx
import nats

from bench.hops import report_hops, stored_times
from bench.running import Run, at_concurrency, running_system, sampled
from tests.auth import access_token, browser_login
from tests.e2e.test_walking_skeleton import a_request
from tests.integration.helpers import wait_until
from tests.integration.intake_support import a_pdf

TENANT = "kaltara"
ACTION = re.compile(r'action="(/t/[^"]+/(approve|dispose))"')
VERSION = re.compile(r'name="version" value="(\d+)"')
PREPARING = 8
SERVICES = ("intake", "approval", "provisioning")


@dataclass
class Officials:
    intake: str
    approval: str
    requester: httpx.AsyncClient
    kadis: httpx.AsyncClient
    kabid: httpx.AsyncClient
    kabid_csrf: str
    streams: httpx.AsyncClient


async def submitted(people: Officials) -> tuple[str, str]:
    """(request id, tracking code) of a fresh request with its letter."""
    uploaded = await people.requester.post(
        f"{people.intake}/api/{TENANT}/documents",
        data={"kind": "request_letter"},
        files={"file": ("surat.pdf", a_pdf(), "application/pdf")},
    )
    answer = await people.requester.post(
        f"{people.intake}/api/{TENANT}/requests", json=a_request(letter=uploaded.json()["document_ref"])
    )
    if answer.status_code != 201:
        raise RuntimeError(f"submission refused: {answer.text[:300]}")
    return answer.json()["request_id"], answer.json()["tracking_code"]


async def disposed(people: Officials, request_id: str) -> dict:
    """The head of department passes it on; returns the head of division's form (action, fields)."""
    api = f"{people.approval}/api/{TENANT}/requests/{request_id}"

    async def passed():
        answer = await people.kadis.post(f"{api}/pass", json={"role": "head_of_department", "note": "Teruskan"})
        return answer.status_code == 200

    await wait_until(passed, timeout=60, interval=0.3)

    async def kabid_form():
        page = (await people.kabid.get(f"{people.approval}/t/{TENANT}/permohonan/{request_id}")).text
        actions = {kind: url for url, kind in ACTION.findall(page)}
        version = VERSION.search(page)
        if not actions or not version:
            return None
        return {
            "url": actions.get("approve") or actions["dispose"],
            "fields": {"csrf_token": people.kabid_csrf, "role": "head_of_division", "version": version[1]},
        }

    return await wait_until(kabid_form, timeout=60)


@dataclass
class Workflow:
    request_id: str
    form: dict
    page: StatusPage
    clicked_at: float = 0.0
    """Wall clock (`time.time()`), to set beside JetStream's timestamps."""


class StatusPage:
    """The requester's live status page: its SSE stream, read in the background, reopened with
    Last-Event-ID when it ends, as the browser's EventSource does (`reopened` counts those)."""

    def __init__(self, people: Officials, code: str):
        self.url = f"{people.intake}/t/{TENANT}/lacak/{code}/peristiwa"
        self.http, self.opened, self.linked = people.streams, asyncio.Event(), asyncio.Event()
        self.linked_at = self.linked_wall = 0.0
        self.last_id, self.reopened = "", -1
        self.task = asyncio.create_task(self._read())

    async def _read(self) -> None:
        while not self.linked.is_set():
            self.reopened += 1
            try:
                await self._read_once()
            except httpx.HTTPError:
                await asyncio.sleep(0.5)

    async def _read_once(self) -> None:
        headers = {"Last-Event-ID": self.last_id} if self.last_id else {}
        async with self.http.stream("GET", self.url, headers=headers) as response:
            self.opened.set()
            async for line in response.aiter_lines():
                if line.startswith("id:"):
                    self.last_id = line[3:].strip()
                if line.startswith("data:") and json.loads(line[5:]).get("join_url"):
                    self.linked_at, self.linked_wall = time.perf_counter(), time.time()
                    self.linked.set()
                    return

    async def close(self) -> None:
        self.task.cancel()
        await asyncio.gather(self.task, return_exceptions=True)


async def prepared(people: Officials) -> Workflow:
    request_id, code = await submitted(people)
    form = await disposed(people, request_id)
    page = StatusPage(people, code)
    await asyncio.wait_for(page.opened.wait(), 30)
    return Workflow(request_id, form, page)


async def click_to_link(people: Officials, workflow: Workflow) -> float:
    started, workflow.clicked_at = time.perf_counter(), time.time()
    form, page = workflow.form, workflow.page
    clicked = await people.kabid.post(f"{people.approval}{form['url']}", data=form["fields"])
    if clicked.status_code != 303:
        raise RuntimeError(f"approval click refused: {clicked.status_code} {clicked.text[:300]}")
    try:
        await asyncio.wait_for(page.linked.wait(), 60)
    except TimeoutError:
        raise RuntimeError(
            f"no meeting link for request {workflow.request_id} after 60 s (its stream was"
            f" reopened {page.reopened} times; KEEP_LOGS=1 keeps the services' logs)"
        ) from None
    await page.close()
    return page.linked_at - started


async def workflows(
    people: Officials, count: int, at_once: bool, sampling=contextlib.nullcontext
) -> tuple[Run, list[Workflow]]:
    ready: list = [None] * count

    async def prepare(index: int) -> None:
        ready[index] = await prepared(people)

    await at_concurrency(prepare, count, PREPARING)
    started = time.perf_counter()
    with sampling():
        if at_once:
            latencies = await asyncio.gather(*(click_to_link(people, workflow) for workflow in ready))
        else:
            latencies = [await click_to_link(people, workflow) for workflow in ready]
    return Run(time.perf_counter() - started, list(latencies)), ready


async def jetstream_round_trips(nats_url: str, count: int, at_once: bool) -> Run:
    """Publish with acknowledgement, then a subscriber receives it: the floor under any hop."""
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    await js.add_stream(name="BENCH_LATENCY", subjects=["bench.latency.>"])
    arrived: dict[str, asyncio.Future] = {}

    async def on_message(msg) -> None:
        arrived[msg.subject].set_result(time.perf_counter())

    await nc.subscribe("bench.latency.>", cb=on_message)

    async def round_trip(index: int) -> None:
        subject = f"bench.latency.{at_once}.{index}"
        arrived[subject] = asyncio.get_running_loop().create_future()
        await js.publish(subject, b"{}")
        await arrived[subject]

    run = await at_concurrency(round_trip, count, count if at_once else 1)
    await nc.close()
    return run


async def logged_in(approval: str, sub: str) -> tuple[httpx.AsyncClient, str]:
    browser = httpx.AsyncClient(timeout=30)
    return browser, await browser_login(browser, approval, sub)


async def officials(intake: str, approval: str, issuer: str) -> Officials:
    bearer = {"Authorization": f"Bearer {await access_token(issuer, f'requester@{TENANT}')}"}
    kadis = {"Authorization": f"Bearer {await access_token(issuer, f'head_of_department@{TENANT}')}"}
    kabid, csrf = await logged_in(approval, f"head_of_division@{TENANT}")
    many = httpx.Limits(max_connections=200, max_keepalive_connections=50)
    return Officials(
        intake,
        approval,
        httpx.AsyncClient(headers=bearer, timeout=30),
        httpx.AsyncClient(headers=kadis, timeout=30),
        kabid,
        csrf,
        httpx.AsyncClient(headers=bearer, timeout=httpx.Timeout(30, read=120), limits=many),
    )


async def measure(system, nats_url: str, args) -> tuple[dict[str, Run], dict[str, list[Workflow]]]:
    people = await officials(system.url("intake"), system.url("approval"), system.oidc_issuer)
    runs, done = {}, {}
    for count, at_once in ((args.single, False), (args.concurrent, True)):
        label = f"x{count if at_once else 1}"
        runs[f"JetStream round trip {label}"] = await jetstream_round_trips(nats_url, count, at_once)
        sampling = partial(sampled_services, system, args.profile) if at_once else contextlib.nullcontext
        runs[f"click to meeting link {label}"], done[label] = await workflows(people, count, at_once, sampling)
    for http in (people.requester, people.kadis, people.kabid, people.streams):
        await http.aclose()
    return runs, done


@contextlib.contextmanager
def sampled_services(system, folder: str | None):
    """py-spy on each service of the click's path, one folded-stacks file each in `folder`."""
    with contextlib.ExitStack() as stack:
        for name in SERVICES if folder else ():
            stack.enter_context(sampled(system.processes[name].pid, f"{folder}/{name}.txt"))
        yield


def report_reopened(done: dict[str, list[Workflow]]) -> None:
    reopened = {label: sum(workflow.page.reopened for workflow in workflows) for label, workflows in done.items()}
    if any(reopened.values()):
        print("status page streams reopened: " + ", ".join(f"{n} at {label}" for label, n in reopened.items()))


def report(runs: dict[str, Run]) -> None:
    print(f"\n{'measured':<32}{'count':>7}{'p50 ms':>10}{'p99 ms':>10}{'max ms':>10}")
    for name, run in runs.items():
        print(f"{name:<32}{len(run.latencies):>7}{run.p50:>10.1f}{run.p99:>10.1f}{run.percentile(100):>10.1f}")
    concurrent = [run for name, run in runs.items() if name.startswith("click")][-1]
    print(
        f"click to meeting link at {len(concurrent.latencies)} concurrent: p99 {concurrent.p99:.0f} ms (goal < 1000 ms)"
    )


def main(args) -> None:
    with running_system(SERVICES, "vidcon-bench-latency-") as servers:
        runs, done = asyncio.run(measure(servers.system, servers.nats.url, args))
        stored = asyncio.run(stored_times(servers.nats.url))
    report(runs)
    report_hops(done, stored)
    report_reopened(done)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--single", type=int, default=10, help="workflows one after another")
    parser.add_argument("--concurrent", type=int, default=50, help="workflows clicked at once")
    parser.add_argument(
        "--profile", metavar="FOLDER", help="py-spy's folded stacks of each service during the concurrent clicks"
    )
    main(parser.parse_args())
