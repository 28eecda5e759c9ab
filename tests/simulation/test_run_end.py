"""Where a run ends, and what the report says ended it: the period its utilisation and
queues are measured over."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from tests.simulation.helpers import scenario, single_server

from wfengine.simulation import simulate

START = datetime(2027, 1, 4, tzinfo=UTC)


def test_a_horizon_ends_the_period_at_the_horizon_not_at_the_last_event() -> None:
    # two servers each work one 9h case (0h-9h, 1h-10h); the third case would arrive at
    # 30h, after the 20h horizon: busy 18h of 2 x 20h
    scn = scenario(
        horizon="20h",
        arrivals={"at": ["2027-01-04T00:00:00Z", "2027-01-04T01:00:00Z", "2027-01-05T06:00:00Z"]},
        activities={"serve": "9h"},
        resources={"server": 2},
    )
    report = simulate(single_server(), scn, instances=3)
    run = report.replications[0]
    assert run.ended == datetime(2027, 1, 4, 20, tzinfo=UTC)
    assert run.stopped == "horizon"
    assert run.groups["server"].available_seconds == pytest.approx(40 * 3600)
    assert run.groups["server"].share == pytest.approx(0.45)
    text = report.text()
    assert "2 instances (the horizon ended them before 3)" in text
    assert "2027-01-04 00:00 -> 2027-01-04 20:00 (to the horizon)" in text
    assert report.as_dict()["runs"][0]["stopped"] == "horizon"


def test_a_horizon_counts_the_queue_up_to_it() -> None:
    # one server busy 0h-9h; the second case waits from 1h to the 4h horizon
    scn = scenario(
        horizon="4h",
        arrivals={"at": ["2027-01-04T00:00:00Z", "2027-01-04T01:00:00Z"]},
        activities={"serve": "9h"},
        resources={"server": 1},
    )
    run = simulate(single_server(), scn, instances=2).replications[0]
    assert run.ended == datetime(2027, 1, 4, 4, tzinfo=UTC)
    assert run.queues["serve"].mean == pytest.approx(3 / 4)


def test_a_run_whose_work_ends_before_the_horizon_is_measured_up_to_it() -> None:
    scn = scenario(
        horizon="20h",
        arrivals={"at": ["2027-01-04T00:00:00Z"]},
        activities={"serve": "1h"},
    )
    report = simulate(single_server(), scn, instances=1)
    run = report.replications[0]
    assert run.ended == datetime(2027, 1, 4, 20, tzinfo=UTC)  # (its figures' period: the horizon's)
    assert run.stopped is None
    assert "horizon" not in report.text()  # (the horizon did not stop it: no "to the horizon")
