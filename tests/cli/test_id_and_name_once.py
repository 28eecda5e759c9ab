"""A data field given by its Id and by its Name in one command is refused everywhere values
arrive (``incident skip --set``, ``run --answers``, a ``--script`` step's ``set``), as
``instance start --set`` and the engine's API refuse it: the later value silently won."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.databases import cli, sqlite_url, write
from wfengine import PackageBuilder
from wfengine.runtime.engine import Engine

GIVEN_TWICE = "'_uC' and 'code' both name data field '_uC': give it once"


def _failed_call(tmp_path: Path) -> tuple[str, str, str]:
    """(database url, instance id, incident id) of an instance whose call failed."""
    url = sqlite_url(tmp_path)
    pb = PackageBuilder("p")
    p = pb.process("proc")
    p.data_field("_uC", "STRING", name="code")
    p.application("lookup", params=[("code", "OUT", "STRING")])
    p.activity("call", tool="lookup", args=["_uC"])
    p.activity("after")
    p.transition("call", "after")
    xpdl = write(tmp_path, pb)
    [instance_id] = cli("instance", "start", xpdl, "--db", url).stdout.split()

    def down() -> None:
        raise ConnectionError("down")

    with Engine(db_url=url) as engine:
        engine.applications.sleep = lambda _s: None
        engine.applications.register("lookup", down, retries=0)
        engine.run_due_jobs()
        [incident] = engine.incidents()
    return url, instance_id, incident.id


def test_incident_skip_refuses_a_field_by_id_and_by_name(tmp_path: Path) -> None:
    url, instance_id, incident_id = _failed_call(tmp_path)
    args = ("incident", "skip", incident_id, "--db", url)
    result = cli(*args, "--set", "_uC=first", "--set", "code=second")
    assert result.exit_code == 2, result.output
    assert GIVEN_TWICE in result.stderr
    # nothing was resolved: the incident is still open and can be skipped properly
    assert cli(*args, "--set", "code=second").exit_code == 0
    with Engine(db_url=url) as engine:
        assert engine.instance(instance_id).data["_uC"] == "second"


def test_incident_skip_refuses_it_when_one_value_is_not_of_the_type(tmp_path: Path) -> None:
    """The check is by name, not by whether the value converts."""
    url, _instance_id, incident_id = _failed_call(tmp_path)
    result = cli("incident", "skip", incident_id, "--db", url, "--set", "code=x", "--set", "_uC=y")
    assert result.exit_code == 2 and "'code' and '_uC' both name" in result.stderr


def _asking(tmp_path: Path) -> str:
    pb = PackageBuilder("p")
    p = pb.process("proc")
    p.data_field("_uC", "STRING", name="code")
    p.participant("clerk")
    p.activity("ask", performer="clerk")
    return write(tmp_path, pb)


def test_run_answers_refuse_a_field_by_id_and_by_name(tmp_path: Path) -> None:
    xpdl = _asking(tmp_path)
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps({"ask": [{"_uC": "first", "code": "second"}]}))
    result = cli("run", xpdl, "--answers", str(answers), "--json")
    assert result.exit_code == 2, result.output
    assert "answer 1 for 'ask'" in result.stderr and GIVEN_TWICE in result.stderr


def test_run_script_set_refuses_a_field_by_id_and_by_name(tmp_path: Path) -> None:
    xpdl = _asking(tmp_path)
    script = tmp_path / "s.json"
    script.write_text(json.dumps([{"complete": "ask", "set": {"_uC": "first", "code": "second"}}]))
    result = cli("run", xpdl, "--script", str(script), "--json")
    assert result.exit_code == 2, result.output
    assert GIVEN_TWICE in result.stderr


def test_run_answers_by_name_alone_still_work(tmp_path: Path) -> None:
    xpdl = _asking(tmp_path)
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps({"ask": [{"code": "second"}]}))
    result = cli("run", xpdl, "--answers", str(answers), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["data"] == {"_uC": "second"}
