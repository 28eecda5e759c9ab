"""With a horizon, throughput is the cases completed per day of the period start..horizon
whatever ended the run, so every replication and variant divides by the same period. Before,
a run that ran out of work before the horizon divided by its first start..last completion and
one the horizon stopped by the horizon's period: a variant with one unfinishable case more
showed half the throughput of the same completions."""

from __future__ import annotations

import pytest
from tests.simulation.helpers import scenario, single_server

from wfengine.simulation import Scenario, compare

_MON_TO_THU = [f"2027-01-0{4 + d}T{9 + h:02d}:00:00Z" for d in range(4) for h in range(8)]


def _week(extra: list[str]) -> Scenario:
    office = {"days": ["mon", "tue", "wed", "thu", "fri"], "hours": ["09:00-17:00"]}
    return scenario(
        arrivals={"at": _MON_TO_THU + extra},
        horizon="7d",
        calendars={"office": office},
        calendar="office",
        activities={"serve": "30m"},
        resources={"server": 1},
    )


def test_throughput_divides_by_the_horizons_period_whatever_ended_the_run() -> None:
    # B adds a case on Sunday 23:00 that cannot be served before the horizon
    both = compare(
        (single_server(), _week([])), (single_server(), _week(["2027-01-10T23:00:00Z"])), seed=1
    )
    a, b = both.a.replications[0], both.b.replications[0]
    assert (a.stopped, b.stopped) == (None, "horizon")
    assert a.metrics.completed == b.metrics.completed == 32
    assert a.metrics.throughput_per_day == pytest.approx(32 / 7)
    assert b.metrics.throughput_per_day == pytest.approx(32 / 7)
