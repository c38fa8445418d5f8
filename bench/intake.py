"""Benchmark: request submissions over HTTP to the real intake service, beside a bare app.

    .venv/bin/python -m bench.intake [--requests 2000] [--concurrency 16] [--warmup 200]

Starts its own nats-server, PostgreSQL, fakes and the intake service (shared.launcher's
System), logs in as `requester@kaltara` (a bearer token, as programs do) and uploads every
request's letter first; then times only the submissions (validation, claiming the letter,
the contact's personal data, append with its outbox, status row, queued notifications),
`--concurrency` in flight at once. Beside it, in the same run and against the same servers,
`bench.bare_intake` (validate, one asyncpg insert, one JetStream publish) in its own uvicorn
process. Each is warmed up with `--warmup` requests first.
Goals: intake >= 55% of the bare app's requests/s, intake's p99 < 50 ms.
"""
from __future__ import annotations

import argparse
import asyncio

import httpx

from bench.running import Run, at_concurrency, running_system, uvicorn_process
from tests.auth import access_token
from tests.integration.intake_support import a_pdf, a_request

TENANT = "kaltara"
BARE = "bare FastAPI + asyncpg + JetStream"


def client(concurrency: int, headers: dict | None = None) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    return httpx.AsyncClient(headers=headers, limits=limits, timeout=30)


async def upload_letters(http: httpx.AsyncClient, intake: str, count: int, concurrency: int) -> list[str]:
    letter, refs = a_pdf(), [""] * count

    async def upload(index: int) -> None:
        uploaded = await http.post(f"{intake}/api/{TENANT}/documents", data={"kind": "request_letter"},
                                   files={"file": ("surat.pdf", letter, "application/pdf")})
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


async def measure_intake(intake: str, issuer: str, count: int, warmup: int, concurrency: int) -> Run:
    token = await access_token(issuer, f"requester@{TENANT}")
    async with client(concurrency, {"Authorization": f"Bearer {token}"}) as http:
        letters = await upload_letters(http, intake, warmup + count, concurrency)
        bodies = submissions(warmup + count)
        for body, letter in zip(bodies, letters):
            body["documents"] = {"request_letter": letter}
        url = f"{intake}/api/{TENANT}/requests"
        await submit_all(http, url, bodies[:warmup], concurrency)
        return await submit_all(http, url, bodies[warmup:], concurrency)


async def measure_bare(bare: str, count: int, warmup: int, concurrency: int) -> Run:
    async with client(concurrency) as http:
        await submit_all(http, f"{bare}/requests", submissions(warmup), concurrency)
        return await submit_all(http, f"{bare}/requests", submissions(count), concurrency)


def report(concurrency: int, runs: dict[str, Run]) -> None:
    print(f"\n{len(next(iter(runs.values())).latencies):,} submissions each, {concurrency} concurrent")
    print(f"{'app':<38}{'requests/s':>12}{'p50 ms':>9}{'p99 ms':>9}")
    for name, run in runs.items():
        print(f"{name:<38}{run.rate:>12,.0f}{run.p50:>9.1f}{run.p99:>9.1f}")
    intake, bare = runs["intake"], runs[BARE]
    print(f"intake / bare: {intake.rate / bare.rate:.0%} (goal >= 55%); intake p99 {intake.p99:.1f} ms (goal < 50 ms)")


def main(count: int, warmup: int, concurrency: int) -> None:
    with running_system(("intake",), "vidcon-bench-intake-") as servers:
        system = servers.system
        env = {"DATABASE_URL": servers.postgres.url, "NATS_URL": servers.nats.url}
        with uvicorn_process("bench.bare_intake:app", env) as bare:
            runs = {BARE: asyncio.run(measure_bare(bare, count, warmup, concurrency))}
        runs["intake"] = asyncio.run(measure_intake(system.url("intake"), system.oidc_issuer, count, warmup,
                                                    concurrency))
    report(concurrency, runs)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    main(args.requests, args.warmup, args.concurrency)
