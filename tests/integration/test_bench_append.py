"""`python -m bench.append` still runs, at a tiny size: its three rows and both ratios."""

from __future__ import annotations

import re

import pytest

from bench.append import PEER, RAW, STORE, main

pytestmark = pytest.mark.integration


def test_the_append_benchmark_prints_the_store_beside_raw_and_eventsourcing(capsys):
    main(["--appends", "200", "--rounds", "1"])
    printed = capsys.readouterr().out
    for name in (RAW, STORE, PEER):
        assert re.search(rf"^{name} +[\d,]+ +\d+%", printed, re.MULTILINE), printed
    assert re.search(r"event store / raw: \d+%", printed)
    assert re.search(r"event store / eventsourcing: [\d.]+x", printed)
