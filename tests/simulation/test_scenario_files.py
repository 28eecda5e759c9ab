"""Scenario and trace files are read within a size limit, as XPDL documents are.

README Limits: "every way a small file can make wfengine do unbounded work is bounded". A
scenario naming ``/dev/zero`` (or being it) is an error naming the file and the limit, read no
further, not a read until memory runs out.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from wfengine.simulation import Scenario, ScenarioError
from wfengine.simulation.scenario import MAX_SCENARIO_BYTES, MAX_TRACE_BYTES

TOO_LARGE = "larger than the limit of {} bytes; the rest was not read"


def test_a_scenario_larger_than_the_limit_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("arrivals: {every: 1m}\n" + "#" * MAX_SCENARIO_BYTES, encoding="utf-8")
    with pytest.raises(ScenarioError, match=TOO_LARGE.format(MAX_SCENARIO_BYTES)) as info:
        Scenario.load(path)
    assert str(path) in str(info.value)


def test_a_scenario_within_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    text = "arrivals: {every: 1m}\n"
    path.write_text(text + "#" * (MAX_SCENARIO_BYTES - len(text)), encoding="utf-8")
    assert Scenario.load(path).arrivals.interval == 60


def test_a_trace_larger_than_the_limit_is_refused_unread(tmp_path: Path) -> None:
    (tmp_path / "arrivals.txt").write_text(
        "2027-01-04T10:00:00Z\n" + "#" * MAX_TRACE_BYTES, encoding="utf-8"
    )
    (tmp_path / "s.yaml").write_text("arrivals: {trace: arrivals.txt}\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=TOO_LARGE.format(MAX_TRACE_BYTES)):
        Scenario.load(tmp_path / "s.yaml")


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_an_endless_scenario_or_trace_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match=TOO_LARGE.format(MAX_SCENARIO_BYTES)):
        Scenario.load("/dev/zero")
    (tmp_path / "s.yaml").write_text("arrivals: {trace: /dev/zero}\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=TOO_LARGE.format(MAX_TRACE_BYTES)):
        Scenario.load(tmp_path / "s.yaml")


def test_a_scenario_that_is_not_utf8_is_an_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes(b"arrivals: {every: 1m}\nname: caf\xe9\n")
    with pytest.raises(ScenarioError, match=r"s\.yaml:2: not UTF-8 text"):
        Scenario.load(path)
