"""The loaders' hostile probes stay registered and runnable (their outcomes are measured by
``python -m benchmarks.loader_probes``, never asserted here but for one quick probe)."""

from __future__ import annotations

import pytest

from benchmarks.loader_probes import registered, run_one, table


def test_every_probe_is_registered_once_with_a_kind_and_an_expectation():
    probes = registered()
    assert len(probes) >= 30 and len({p.name for p in probes}) == len(probes)
    kinds = {"store swap fails part-way", "writer killed between steps", "only where it was sent",
             "bounded waits", "no gaps"}  # fmt: skip
    assert {p.kind for p in probes} >= kinds
    assert all(p.expected for p in probes)


@pytest.mark.slow
def test_a_probe_runs_into_one_line_of_the_table(tmp_path):
    (found,) = [p for p in registered() if p.name == "Retry-After: 3600"]
    row = run_one(found, tmp_path)
    assert row["ok"] == "yes" and "refused" in row["got"]
    assert table([row]).count("\n") == 2
