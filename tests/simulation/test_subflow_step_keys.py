"""A scenario times a step of a called process by the key the report lists it under: its id
where only one of the run's processes has it, ``PROCESS/ACTIVITY`` always (the only way when
another process has the id too). Before, such a step could not be timed at all: its id was
refused as ambiguous and ``child/work``, the report's own label, as "no such activity"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.simulation.helpers import scenario

from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Package
from wfengine.simulation import Scenario, ScenarioError, simulate
from wfengine.simulation.binding import bind


def _both_work(tool: bool = False) -> Package:
    """main: call -> work; child: work -> file (child's ``work`` a Tool activity if
    ``tool``)."""
    pb = PackageBuilder("pkg")
    m = pb.process("main")
    m.participant("clerk")
    m.subflow("call", process="child")
    m.activity("work", performer="clerk")
    m.sequence("call", "work")
    c = pb.process("child")
    c.participant("clerk")
    c.data_field("note", "STRING")
    if tool:
        c.data_field("score", "INTEGER", initial="0")
        c.application("credit", params=[("score", "OUT", "INTEGER")])
        c.activity("work", tool="credit", args=["score"])
    else:
        c.activity("work", performer="clerk", writes=["note"])
    c.activity("file", performer="clerk")
    c.sequence("work", "file")
    return pb.build()


def _timed(activities: dict[str, Any], **more: Any) -> Scenario:
    return scenario(
        process="main",
        arrivals={"every": "1h"},
        activities=activities,
        resources={"clerk": 2},
        **more,
    )


def test_each_of_two_steps_of_one_id_is_timed_by_its_process_activity_key() -> None:
    scn = _timed({"main/work": "5m", "child/work": "7m", "file": "1m"})
    rows = simulate(_both_work(), scn, instances=4).activities
    assert rows["work"].count.mean == 4 and rows["work"].processing.mean == 5 * 60
    assert rows["child/work"].count.mean == 4 and rows["child/work"].processing.mean == 7 * 60
    assert rows["file"].processing.mean == 60


def test_a_keys_empirical_durations_are_its_own_processs_in_the_trail(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'sim.db'}"
    simulate(_both_work(), _timed({"main/work": "5m", "child/work": "7m"}), instances=4, db_url=url)
    trail = {"duration": {"empirical": "trail"}}
    again = _timed({"main/work": trail, "child/work": trail}, trail=url)
    rows = simulate(_both_work(), again, instances=4).activities
    assert rows["work"].processing.mean == 5 * 60
    assert rows["child/work"].processing.mean == 7 * 60


def test_a_called_tool_step_is_timed_by_its_key() -> None:
    # (its time is its application's call: the run finds the step's key from the call's job)
    scn = _timed({"child/work": "7m"})
    rows = simulate(_both_work(tool=True), scn, instances=3).activities
    assert rows["child/work"].processing.mean == 7 * 60
    assert rows["work"].processing.mean == 0


def test_a_called_steps_outputs_are_checked_against_its_own_process() -> None:
    scn = _timed({"child/work": {"duration": "7m", "outputs": {"note": "ok"}}})
    report = simulate(_both_work(), scn, instances=2)
    assert report.replications[0].incident_count == 0
    with pytest.raises(ScenarioError, match=r"activities\.main/work\.outputs\.note: the process"):
        bind(_timed({"main/work": {"outputs": {"note": "ok"}}}), _both_work())


def test_an_id_two_processes_have_is_refused_naming_the_keys_to_use() -> None:
    with pytest.raises(
        ScenarioError,
        match=r"test\.yaml: activities\.work: processes 'main', 'child' each have an activity of "
        r"that id; name the one you mean as main/work or child/work",
    ):
        bind(_timed({"work": "5m"}), _both_work())


def test_a_process_activity_key_naming_no_step_is_refused_naming_it() -> None:
    with pytest.raises(
        ScenarioError,
        match=r"test\.yaml: activities\.child/wrok: process 'child' has no activity 'wrok' "
        r"\(its activities: file, work\)",
    ):
        bind(_timed({"child/wrok": "5m"}), _both_work())
    with pytest.raises(
        ScenarioError,
        match=r"activities\.kid/work: 'kid' is none of the run's processes \(main, child: ",
    ):
        bind(_timed({"kid/work": "5m"}), _both_work())


def test_one_step_named_by_its_id_and_by_its_key_is_refused() -> None:
    bind(_timed({"child/file": "1m"}), _both_work())  # (its id is unique: either key names it)
    with pytest.raises(
        ScenarioError,
        match=r"activities\.child/file: names activity 'file' of process 'child', as 'file' "
        r"does; give each once",
    ):
        bind(_timed({"file": "1m", "child/file": "2m"}), _both_work())
