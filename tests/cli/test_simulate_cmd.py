"""``wfengine simulate``: the options and output shapes scripts rely on, and exit statuses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.simulation.helpers import decision, single_server
from wfengine.cli.main import main
from wfengine.definition.io import dump_xpdl

SCENARIO = """\
name: one server
arrivals: {poisson: 10/h}
activities:
  serve: {duration: {exponential: 5m}}
"""


def _files(tmp_path: Path) -> tuple[str, str]:
    definition = tmp_path / "queue.xpdl"
    definition.write_bytes(dump_xpdl(single_server()))
    scenario = tmp_path / "one.yaml"
    scenario.write_text(SCENARIO, encoding="utf-8")
    return str(definition), str(scenario)


def _invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["simulate", *args])
    return result.exit_code, result.stdout, result.stderr


def test_text_report(tmp_path: Path) -> None:
    definition, scenario = _files(tmp_path)
    code, out, _ = _invoke(definition, "--scenario", scenario, "--instances", "40")
    assert code == 0
    assert "Simulation 'one server' of process queue: 40 instances" in out
    assert "serve" in out and "utilisation" in out


def test_json_report_is_reproducible_by_seed(tmp_path: Path) -> None:
    definition, scenario = _files(tmp_path)
    args = [definition, "--scenario", scenario, "--instances", "30", "--json"]
    code, out, _ = _invoke(*args, "--seed", "4", "--replications", "2")
    assert code == 0
    data = json.loads(out)
    assert data["instances"] == 30 and data["replications"] == 2 and data["seed"] == 4
    assert data["summary"]["activities"]["serve"]["waiting_mean"]["half_width"] is not None
    assert len(data["runs"]) == 2
    assert _invoke(*args, "--seed", "4", "--replications", "2")[1] == out
    assert _invoke(*args, "--seed", "5", "--replications", "2")[1] != out


def test_compare_with_another_scenario_and_another_definition(tmp_path: Path) -> None:
    definition, scenario = _files(tmp_path)
    two = tmp_path / "two.yaml"
    two.write_text(SCENARIO.replace("one server", "two servers") + "resources: {server: 2}\n")
    code, out, _ = _invoke(
        definition, "--scenario", scenario, "--compare", str(two), "--instances", "50", "--json"
    )
    assert code == 0
    data = json.loads(out)
    assert data["a"]["name"] == "one server" and data["b"]["name"] == "two servers"
    assert "serve waiting" in data["differences"]
    other = tmp_path / "other.xpdl"
    other.write_bytes(dump_xpdl(single_server()))
    code, out, _ = _invoke(
        definition, "--scenario", scenario, "--compare", str(other), "--instances", "20"
    )
    assert code == 0 and "B - A" in out


def test_progress_bar_goes_to_stderr(tmp_path: Path) -> None:
    definition, scenario = _files(tmp_path)
    code, out, err = _invoke(
        definition, "--scenario", scenario, "--instances", "20", "--progress", "--json"
    )
    assert code == 0
    json.loads(out)  # stdout stays one JSON object
    assert "simulating" in err
    assert _invoke(definition, "--scenario", scenario, "--instances", "5", "--no-progress")[2] == ""


def test_plot(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib", reason="--plot needs matplotlib (the plots extra)")
    definition, scenario = _files(tmp_path)
    target = tmp_path / "sim.png"
    code, _, _ = _invoke(
        definition, "--scenario", scenario, "--instances", "30", "--plot", str(target)
    )
    assert code == 0
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    code, _, err = _invoke(definition, "--scenario", scenario, "--plot", "sim.gif")
    assert code == 2 and "name a .png or .svg file" in err


def test_db_keeps_the_trail(tmp_path: Path) -> None:
    definition, scenario = _files(tmp_path)
    url = f"sqlite:///{tmp_path / 'sim.db'}"
    code, _, _ = _invoke(definition, "--scenario", scenario, "--instances", "10", "--db", url)
    assert code == 0
    result = CliRunner().invoke(main, ["stats", "--db", url, "--json"])
    assert json.loads(result.output)[0]["completed"] == 10


def test_exit_statuses(tmp_path: Path) -> None:
    definition, scenario = _files(tmp_path)
    bad = tmp_path / "bad.yaml"
    bad.write_text("arrivals: {poisson: 10/h}\nactivities: {nope: 1m}\n", encoding="utf-8")
    code, _, err = _invoke(definition, "--scenario", str(bad))
    assert code == 2 and "activities.nope: the process has no such activity" in err
    code, _, err = _invoke(definition, "--scenario", str(tmp_path / "missing.yaml"))
    assert code == 2 and "cannot read the scenario" in err
    broken = tmp_path / "broken.xpdl"
    broken.write_text("<Package", encoding="utf-8")
    assert _invoke(str(broken), "--scenario", scenario)[0] == 1
    code, _, err = _invoke(definition)
    assert code == 2 and "--scenario" in err
    code, _, err = _invoke(definition, "--scenario", scenario, "--process", "nope")
    assert code == 2 and "no process 'nope'" in err


def test_apps_module_binds_applications(tmp_path: Path) -> None:
    from wfengine.definition.builder import PackageBuilder

    pb = PackageBuilder("tools")
    p = pb.process("tools")
    p.data_field("n", "INTEGER", initial="0")
    p.application("count", params=[("n", "INOUT", "INTEGER")])
    p.activity("one", tool="count", args=["n"])
    definition = tmp_path / "tools.xpdl"
    definition.write_bytes(dump_xpdl(pb.build()))
    scenario = tmp_path / "s.yaml"
    scenario.write_text("arrivals: {every: 1m}\n", encoding="utf-8")
    apps = tmp_path / "myapps.py"
    apps.write_text(
        "def register(registry):\n    registry.register('count', lambda n: {'n': n + 1})\n",
        encoding="utf-8",
    )
    code, out, _ = _invoke(
        str(definition),
        "--scenario",
        str(scenario),
        "--instances",
        "3",
        "--apps",
        str(apps),
        "--json",
    )
    assert code == 0
    assert json.loads(out)["stubbed"] == []
    code, out, _ = _invoke(
        str(definition), "--scenario", str(scenario), "--instances", "3", "--json"
    )
    assert json.loads(out)["stubbed"] == ["count"]


def test_decision_definition_runs_with_branches(tmp_path: Path) -> None:
    definition = tmp_path / "decision.xpdl"
    definition.write_bytes(dump_xpdl(decision()))
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        "arrivals: {every: 1m}\nbranches: {check: {approve: 1, reject: 0}}\n", encoding="utf-8"
    )
    code, out, _ = _invoke(
        str(definition), "--scenario", str(scenario), "--instances", "10", "--json"
    )
    assert code == 0
    counts = json.loads(out)["summary"]["activities"]
    assert counts["approve"]["count"]["mean"] == 10 and "reject" not in counts


def test_jobs_give_the_same_json(tmp_path: Path) -> None:
    definition, scenario = _files(tmp_path)
    args = [definition, "--scenario", scenario, "--instances", "40", "--replications", "3"]
    code, one, _ = _invoke(*args, "--json")
    code2, two, _ = _invoke(*args, "--jobs", "2", "--json")
    assert code == code2 == 0
    assert json.loads(one) == json.loads(two)
    assert _invoke(*args, "--jobs", "0")[0] == 2
