"""Benchmark: request submissions over HTTP to the real intake service, beside a bare app.

    .venv/bin/python -m bench.intake [--requests 500] [--concurrency 16] [--warmup 50] [--rounds 3]

Starts its own nats-server, PostgreSQL, fakes and the intake service (shared.launcher's
System), logs in as `requester@kaltara` (a bearer token, as programs do) and uploads every
request's letter first; then times only the submissions (validation, claiming the letter,
the contact's personal data, append with its outbox, status row, queued notifications),
`--concurrency` in flight at once. Beside it, in the same run and against the same servers,
`bench.bare_intake` (validate, one asyncpg insert, one JetStream publish) in its own uvicorn
process. Each is warmed up with `--warmup` requests first, and each run starts once intake has
sent the notifications and relayed the events of the one before.
Goals: intake >= 55% of the bare app's requests/s, intake's p99 < 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import time

import httpx

from bench.running import Run, at_concurrency, running_system, sampled, uvicorn_process
from shared.db import create_pool
from tests.auth import access_token
from tests.integration.intake_support import a_pdf, a_request

TENANT = "kaltara"
UNSETTLED = (
    "select exists (select 1 from notifications where state in ('pending', 'sending'))"
    " or exists (select 1 from events where position > coalesce("
    "(select position from relay_position where relay = 'outbox'), 0))"
)
BARE = "bare FastAPI + asyncpg + JetStream"


def client(concurrency: int, headers: dict | None = None) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    return httpx.AsyncClient(headers=headers, limits=limits, timeout=30)


async def upload_letters(http: httpx.AsyncClient, intake: str, count: int, concurrency: int) -> list[str]:
    letter, refs = a_pdf(), [""] * count

    async def upload(index: int) -> None:
        uploaded = await http.post(
            f"{intake}/api/{TENANT}/documents",
            data={"kind": "request_letter"},
            files={"file": ("surat.pdf", letter, "application/pdf")},
        )
        if uploaded.status_code != 201:
            raise RuntimeError(f"upload refused: {uploaded.status_code} {uploaded.text[:300]}")
        refs[index] = uploaded.json()["document_ref"]

    await at_concurrency(upload, count, concurrency)
    return refs


def submissions(count: int) -> list[dict]:
    """Accepted requests, all at one slot: intake does not book host accounts (provisioning does)."""
    body = a_request()
    return [dict(body) for _ in range(count)]


async def submit_all(http: httpx.AsyncClient, url: str, bodies: list[dict], concurrency: int) -> Run:
    async def submit(index: int) -> None:
        answer = await http.post(url, json=bodies[index])
        if answer.status_code != 201:
            raise RuntimeError(f"{url} refused: {answer.status_code} {answer.text[:300]}")

    return await at_concurrency(submit, len(bodies), concurrency)


async def measure_intake(
    http: httpx.AsyncClient,
    intake: str,
    count: int,
    warmup: int,
    concurrency: int,
    profile: tuple[int | None, str | None] = (None, None),
) -> Run:
    letters = await upload_letters(http, intake, warmup + count, concurrency)
    bodies = submissions(warmup + count)
    for body, letter in zip(bodies, letters):
        body["documents"] = {"request_letter": letter}
    url = f"{intake}/api/{TENANT}/requests"
    await submit_all(http, url, bodies[:warmup], concurrency)
    with sampled(*profile):
        return await submit_all(http, url, bodies[warmup:], concurrency)


async def measure_bare(http: httpx.AsyncClient, bare: str, count: int, warmup: int, concurrency: int) -> Run:
    await submit_all(http, f"{bare}/requests", submissions(warmup), concurrency)
    return await submit_all(http, f"{bare}/requests", submissions(count), concurrency)


async def settled(database_url: str, timeout: float = 180.0) -> None:
    """Until intake has sent what the last round queued and relayed what it appended: its
    background work must not weigh on the next measurement."""
    pool = await create_pool(database_url, "intake", max_size=1)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline and await pool.fetchval(UNSETTLED):
            await asyncio.sleep(0.5)
    finally:
        await pool.close()


async def rounds(intake: str, bare: str, issuer: str, args, servers) -> list[dict[str, Run]]:
    """Bare then intake, `args.rounds` times: on a shared machine the ceiling moves, so each
    intake run is held against the bare run just before it."""
    token = await access_token(issuer, f"requester@{TENANT}")
    measured = []
    async with (
        client(args.concurrency) as plain,
        client(args.concurrency, {"Authorization": f"Bearer {token}"}) as http,
    ):
        for number in range(args.rounds):
            last = number == args.rounds - 1
            profile = (servers.system.processes["intake"].pid, args.profile) if last else (None, None)
            await settled(servers.postgres.url)
            bare_run = await measure_bare(plain, bare, args.requests, args.warmup, args.concurrency)
            await settled(servers.postgres.url)
            measured.append(
                {
                    BARE: bare_run,
                    "intake": await measure_intake(http, intake, args.requests, args.warmup, args.concurrency, profile),
                }
            )
    return measured


def report(args, measured: list[dict[str, Run]]) -> None:
    print(f"\n{args.requests:,} submissions per app and round, {args.concurrency} concurrent, {args.rounds} round(s)")
    print(f"{'round':<7}{'app':<38}{'requests/s':>12}{'p50 ms':>9}{'p99 ms':>9}{'of bare':>9}")
    for number, runs in enumerate(measured, start=1):
        for name, run in runs.items():
            share = f"{run.rate / runs[BARE].rate:.0%}"
            print(f"{number:<7}{name:<38}{run.rate:>12,.0f}{run.p50:>9.1f}{run.p99:>9.1f}{share:>9}")
    shares = sorted(runs["intake"].rate / runs[BARE].rate for runs in measured)
    p99s = sorted(runs["intake"].p99 for runs in measured)
    print(
        f"intake / bare (median of rounds): {shares[len(shares) // 2]:.0%} (goal >= 55%); "
        f"intake p99 (median of rounds): {p99s[len(p99s) // 2]:.1f} ms (goal < 50 ms)"
    )


def main(args) -> None:
    with running_system(("intake",), "vidcon-bench-intake-") as servers:
        env = {"DATABASE_URL": servers.postgres.url, "NATS_URL": servers.nats.url}
        with uvicorn_process("bench.bare_intake:app", env) as bare:
            system = servers.system
            measured = asyncio.run(rounds(system.url("intake"), bare, system.oidc_issuer, args, servers))
    report(args, measured)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", metavar="FILE", help="py-spy's folded stacks of intake during the last round")
    main(parser.parse_args())
