"""A trail ``simulate --db`` kept is measured at the simulation's end, not the wall clock:
its work still waiting waited from its simulated moment until the run stopped. Before,
``wfengine stats`` on a 2020 run said "wait p50 60653.9h" and ranked the bottlenecks
otherwise than the simulation's own report (QA F_sim 2)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.simulation.helpers import scenario, steps

from wfengine.audit import process_metrics
from wfengine.audit.trail_clock import stopped_clock
from wfengine.cli.main import main
from wfengine.definition.model import Package
from wfengine.runtime.engine import Engine
from wfengine.simulation import simulate


def _two_steps() -> Package:
    return steps("two", "p", ("triage", "clerk"), ("expert_review", "expert"))


def _kept(tmp_path: Path) -> str:
    """A 2020 run to an 8h horizon whose last case waits for the expert (gone at 07:50)
    from 07:55 to the end: 5 minutes."""
    url = f"sqlite:///{tmp_path / 'sim.db'}"
    scn = scenario(
        start="2020-01-06T00:00:00Z",
        horizon="8h",
        arrivals={"at": ["2020-01-06T00:00:00Z", "2020-01-06T07:45:00Z"]},
        activities={"triage": "10m", "expert_review": "10m"},
        calendars={"early": {"hours": ["00:00-07:50"]}},
        resources={"clerk": 1, "expert": {"count": 1, "calendar": "early"}},
    )
    report = simulate(_two_steps(), scn, db_url=url)
    assert report.replications[0].ended == datetime(2020, 1, 6, 8, tzinfo=UTC)
    return url


def test_the_kept_trail_says_when_its_clock_stopped(tmp_path: Path) -> None:
    engine = Engine.from_url(_kept(tmp_path))
    try:
        assert stopped_clock(engine) == datetime(2020, 1, 6, 8, tzinfo=UTC)
        (waiting,) = process_metrics(engine, "p").waiting_now
        assert waiting.activity_id == "expert_review"
        assert (waiting.count, waiting.waiting.median) == (1, pytest.approx(300.0))
    finally:
        engine.close()


def test_stats_measures_waiting_now_at_the_simulation_s_end(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["stats", "--db", _kept(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "waiting now: expert_review 1 (wait p50 5m, p95 5m)" in result.output


def test_a_live_database_is_measured_at_its_engine_s_clock(tmp_path: Path) -> None:
    engine = Engine.from_url(f"sqlite:///{tmp_path / 'live.db'}")
    try:
        assert stopped_clock(engine) is None
    finally:
        engine.close()
