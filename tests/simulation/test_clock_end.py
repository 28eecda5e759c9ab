"""A simulation reaching the end of the engine's time (9999-12-31T00:00Z, ``LAST_MOMENT``):
an error naming what would fall there, exit 2 from the CLI. Before, the simulator guarded only
``datetime.max``: a start, a step's end or a horizon on the last day raised the virtual
clock's bare ValueError (a traceback, exit 1), a timed application call ending there was
parked at the end of time without a word (the run reported its cases "still open"), and a
horizon past it was blamed on "the next arrival or a step's end"."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from tests.simulation.helpers import scenario, single_server

from wfengine.cli.main import main
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.io import dump_xpdl
from wfengine.definition.model import Package
from wfengine.simulation import Scenario, ScenarioError, simulate

END = "at or after 9999-12-31T00:00:00+00:00, where the engine's time ends"


def _tool() -> Package:
    """A Tool activity calling ``score``, then a clerk's step."""
    pb = PackageBuilder("tool")
    pb.application("score", params=[("s", "OUT", "INTEGER")])
    p = pb.process("main")
    p.participant("clerk")
    p.data_field("s", "INTEGER", initial="0")
    p.activity("auto", tool="score", args=["s"])
    p.activity("work", performer="clerk")
    p.sequence("auto", "work")
    return pb.build()


def _refused(package: Package, **data: Any) -> str:
    with pytest.raises(ScenarioError) as caught:
        simulate(package, scenario(**data), instances=2, seed=1)
    return str(caught.value)


@pytest.mark.parametrize("start", ["9999-12-31T00:00:00Z", "9999-12-31T06:00:00Z"])
def test_a_start_at_the_end_of_time_is_refused_when_read(start: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        scenario(start=start, arrivals={"every": "1h"})
    assert str(caught.value).startswith("test.yaml: start: 9999-12-31T") and END in str(
        caught.value
    )


def test_an_arrival_given_at_the_end_of_time_is_refused_naming_it() -> None:
    with pytest.raises(ScenarioError) as caught:
        scenario(start="9999-12-30T00:00:00Z", arrivals={"at": ["9999-12-31T00:00:00Z"]})
    assert str(caught.value).startswith("test.yaml: arrivals.at[0]: ") and END in str(caught.value)


@pytest.mark.parametrize(
    ("start", "horizon"), [("9999-12-29T00:00:00Z", "2d"), ("9999-12-25T00:00:00Z", "30d")]
)
def test_a_horizon_past_the_end_of_time_is_refused_naming_the_horizon(
    start: str, horizon: str
) -> None:
    with pytest.raises(ScenarioError) as caught:
        scenario(start=start, horizon=horizon, arrivals={"every": "1h"})
    message = str(caught.value)
    assert message.startswith(f"test.yaml: horizon: {horizon} after the start") and END in message


def test_a_horizon_just_before_the_end_of_time_runs_to_it() -> None:
    scn = scenario(start="9999-12-29T00:00:00Z", horizon="1d", arrivals={"every": "1h"})
    report = simulate(single_server(), scn, instances=2, seed=1)
    assert report.completed.mean == 2


def test_a_scenario_built_in_code_with_a_late_start_is_refused_too() -> None:
    import dataclasses
    from datetime import UTC, datetime

    late = dataclasses.replace(scenario(), start=datetime(9999, 12, 31, 6, tzinfo=UTC))
    with pytest.raises(ScenarioError, match=r"^test\.yaml: start: .*where the engine's time"):
        simulate(single_server(), late, instances=1)


def test_a_step_ending_at_the_end_of_time_stops_the_run_naming_it() -> None:
    message = _refused(
        single_server(),
        start="9999-12-30T00:00:00Z",
        arrivals={"every": "1h"},
        activities={"serve": "1d"},
    )
    assert "at 9999-12-30, the end of server's work on activity 'serve' would fall" in message
    assert END in message


def test_a_timed_call_ending_at_the_end_of_time_stops_the_run_naming_it() -> None:
    # before: exit 0, "completed 0 ... 2 instance(s) still open", the call parked for ever
    message = _refused(
        _tool(), start="9999-12-30T00:00:00Z", arrivals={"every": "1h"}, activities={"auto": "1d"}
    )
    assert "the end of activity 'auto''s application call would fall " + END in message


def test_the_cli_says_which_line_and_exits_2(tmp_path: Path) -> None:
    definition = tmp_path / "queue.xpdl"
    definition.write_bytes(dump_xpdl(single_server()))
    for name, text, said in [
        ("late3.yaml", "arrivals: {every: 1h}\nstart: 9999-12-31T06:00:00Z\n", ":2: start: "),
        ("late6.yaml", "start: 9999-12-29T00:00:00Z\nhorizon: 2d\n", ":2: horizon: 2d"),
        ("late4.yaml", "start: 9999-12-30T00:00:00Z\nactivities: {serve: 1d}\n", "'serve'"),
    ]:
        path = tmp_path / name
        path.write_text(text + ("" if "arrivals" in text else "arrivals: {every: 1h}\n"))
        result = CliRunner().invoke(
            main, ["simulate", str(definition), "--scenario", str(path), "--instances", "2"]
        )
        assert result.exit_code == 2, result.output
        assert said in result.stderr and END in result.stderr
        assert "Traceback" not in result.output


def test_scenario_load_names_the_start_line(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("arrivals: {every: 1h}\n\nstart: 9999-12-31T00:00:00Z\n")
    with pytest.raises(ScenarioError, match=rf"^{re.escape(str(path))}:3: start: "):
        Scenario.load(path)


def test_a_calendar_opening_past_the_last_date_stops_the_run_naming_it() -> None:
    # before: the calendar's opening overflowed datetime.max, blamed on "the next arrival or
    # a step's end"
    message = _refused(
        single_server(),
        start="9999-12-29T20:00:00Z",
        arrivals={"every": "1h"},
        activities={"serve": "1h"},
        calendars={"office": {"days": ["wed"], "hours": ["09:00-18:00"]}},
        calendar="office",
    )
    assert "the next opening of server's calendar would fall " + END in message
