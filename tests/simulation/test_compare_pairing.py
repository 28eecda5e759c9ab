"""``compare``'s B - A pairs replication i of A with replication i of B (the same random
streams); a replication where either variant has no value for a figure (no case completed
by the horizon) pairs with nothing."""

from __future__ import annotations

import dataclasses

import pytest
from tests.simulation.helpers import scenario, single_server

from wfengine.audit.metrics import Durations
from wfengine.simulation import Comparison, SimulationReport, simulate


def _with_cycle_times(report: SimulationReport, means: list[float | None]) -> SimulationReport:
    """``report`` with its replications' mean cycle times set to ``means`` (None: no case
    completed)."""
    runs = []
    for run, mean in zip(report.replications, means, strict=True):
        cycle = Durations.of([] if mean is None else [mean])
        metrics = dataclasses.replace(run.metrics, cycle_time=cycle)
        runs.append(dataclasses.replace(run, metrics=metrics))
    return dataclasses.replace(report, replications=tuple(runs))


def _cycle_row(comparison: Comparison) -> tuple[float | None, tuple[float, ...]]:
    (row,) = [d for name, _, _, d in comparison.rows() if name == "cycle time mean"]
    return row.mean, row.values


def test_b_minus_a_pairs_only_replications_where_both_have_a_value() -> None:
    base = simulate(single_server(), scenario(), instances=2, replications=4)
    a = _with_cycle_times(base, [100.0, None, 300.0, 400.0])
    b = _with_cycle_times(base, [None, 250.0, 330.0, 460.0])
    # replications 3 and 4 pair (+30, +60); by position it would be 250-100, 330-300, ...
    assert _cycle_row(Comparison(a, b)) == (pytest.approx(45.0), (30.0, 60.0))


def test_b_minus_a_is_empty_when_no_replication_pairs() -> None:
    base = simulate(single_server(), scenario(), instances=2, replications=2)
    a = _with_cycle_times(base, [100.0, None])
    b = _with_cycle_times(base, [None, 250.0])
    mean, values = _cycle_row(Comparison(a, b))
    assert mean is None and values == ()
    assert "cycle time mean" in Comparison(a, b).text()
