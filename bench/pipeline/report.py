"""The bench's tables: each run beside the baselines of the same round, and the goals."""

from __future__ import annotations

import os

from bench.pipeline.slow_zoom import QUICK, SLOW, Delays
from bench.pipeline.throughput import Measured

CORES = os.cpu_count() or 1


def _ms(seconds: float, events: int) -> str:
    return f"{1000 * seconds / events:.2f}"


def _row(m: Measured, one: Measured, raw_one: Measured) -> str:
    cpu = m.cpu
    busy = sum(cpu.values()) / (m.seconds * CORES)
    ceiling = CORES * m.events / sum(cpu.values())
    return (
        f"{m.run.label:<34}{m.events:>8,}{m.rate:>10,.0f}{m.rate / one.rate:>8.2f}x{m.rate / raw_one.rate:>9.0%}"
        f"{_ms(m.seconds, m.events):>8}{_ms(cpu['consumer'], m.events):>9}{_ms(cpu['postgres'], m.events):>9}"
        f"{_ms(cpu['nats-server'], m.events):>7}{busy:>7.0%}{ceiling:>10,.0f}"
    )


def print_round(n: int, measured: list[Measured]) -> None:
    by_label = {m.run.label: m for m in measured}
    one, raw_one = by_label["1 replica"], by_label["raw, 1 in flight"]
    print(
        f"\nround {n}: events/s through the consumer (ms per event: wall, and CPU of the replicas, "
        f"PostgreSQL, nats-server; busy: CPU of all three over {CORES} cores; ceiling: the events/s that "
        f"{CORES} cores free of other work would allow at that CPU per event)"
    )
    print(
        f"{'run':<34}{'events':>8}{'ev/s':>10}{'of 1':>9}{'of raw1':>9}{'wall':>8}{'replica':>9}"
        f"{'pg':>9}{'nats':>7}{'busy':>7}{'ceiling':>10}"
    )
    for m in measured:
        print(_row(m, one, raw_one))
    applied = [
        f"{m.run.label}: " + ", ".join(f"{v:,} {k}" for k, v in m.applied.items()) for m in measured if m.applied
    ]
    print("applied: " + "; ".join(applied))


def print_throughput(rounds: list[list[Measured]]) -> None:
    for n, measured in enumerate(rounds, start=1):
        print_round(n, measured)
    for label in ("3 replicas, one durable", "3 replicas, per-tenant durables"):
        ratios = [
            next(m for m in r if m.run.label == label).rate / next(m for m in r if m.run.label == "1 replica").rate
            for r in rounds
        ]
        verdict = "met" if min(ratios) >= 2.5 else "not met"
        print(f"{label} / 1 replica: " + ", ".join(f"{x:.2f}x" for x in ratios) + f" (goal >= 2.5x: {verdict})")


def print_slow_zoom(phases: list[Delays]) -> None:
    print(
        "\nseconds from approval to the meeting made on Zoom (one replica's call worker, 8 slots, "
        "a tenant in at most 4)"
    )
    print(f"{'phase':<34}{QUICK + ' p50':>16}{'max':>8}{SLOW + ' p50':>17}{'max':>8}")
    for d in phases:
        print(f"{d.phase:<34}{d.p50(QUICK):>16.2f}{d.worst(QUICK):>8.2f}{d.p50(SLOW):>17.2f}{d.worst(SLOW):>8.2f}")
    quick, slow = phases
    print(
        f"{QUICK}'s worst delay with {SLOW}'s Zoom slow: {slow.worst(QUICK):.2f} s against "
        f"{quick.worst(QUICK):.2f} s with every Zoom quick (added {slow.worst(QUICK) - quick.worst(QUICK):+.2f} s)"
    )
