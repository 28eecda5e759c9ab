"""A run the horizon ends reports the cases completed per day of the simulated period. Before,
it divided by first start..last completion: a week whose clerk works Monday to Friday read as
five days of work (8 cases a day shown as 12), and a horizon in which nothing completed showed
"-" rather than 0."""

from __future__ import annotations

import pytest
from tests.simulation.helpers import scenario, single_server

from wfengine.simulation import simulate


def test_throughput_counts_the_horizons_whole_period() -> None:
    office = {"days": ["mon", "tue", "wed", "thu", "fri"], "hours": ["09:00-17:00"]}
    scn = scenario(
        arrivals={"every": "2h"},
        horizon="7d",
        calendars={"office": office},
        calendar="office",
        activities={"serve": "30m"},
        resources={"server": 1},
    )
    report = simulate(single_server(), scn, instances=1000, seed=1)
    run = report.replications[0]
    assert run.stopped == "horizon"
    assert run.metrics.completed > 0
    assert run.metrics.throughput_per_day == pytest.approx(run.metrics.completed / 7)


def test_nothing_completed_within_the_horizon_is_zero_a_day() -> None:
    scn = scenario(
        arrivals={"at": ["2027-01-10T00:00:00Z"]}, horizon="1d", activities={"serve": "5m"}
    )
    report = simulate(single_server(), scn, seed=1)
    assert report.throughput_per_day.mean == 0.0
    assert "per day        0.0" in report.text()
