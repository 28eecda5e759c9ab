"""``wfengine run --script``: a message only a subflow not yet started catches is refused
naming that subflow's process and what to do (not as the root catching "none")."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.databases import cli, write
from wfengine.definition.builder import PackageBuilder


def _main_calling_child() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    c = pb.process("child")
    c.data_field("x", "INTEGER")
    c.activity("cw", performer="clerk").intermediate("wait", message="go").activity("after")
    c.sequence("cw", "wait", "after")
    p = pb.process("main")
    p.activity("first", performer="clerk").subflow("call", process="child").activity("next")
    p.sequence("first", "call", "next")
    return pb


def test_a_message_for_a_subflow_not_yet_started_names_it(tmp_path: Path) -> None:
    script = tmp_path / "steps.json"
    script.write_text(json.dumps([{"message": "go", "set": {"x": 5}}]))
    result = cli(
        "run", write(tmp_path, _main_calling_child()), "--script", str(script), "--process", "main"
    )
    assert result.exit_code == 1
    assert "process 'child' catches it, but no instance of it has started" in result.output
    assert "it catches: none" not in result.output


def test_once_the_subflow_waits_the_message_reaches_it(tmp_path: Path) -> None:
    script = tmp_path / "steps.json"
    steps = [{"complete": "first"}, {"complete": "cw"}, {"message": "go", "set": {"x": 5}}]
    script.write_text(json.dumps(steps))
    result = cli(
        "run",
        write(tmp_path, _main_calling_child()),
        "--script",
        str(script),
        "--process",
        "main",
        "--json",
    )
    out = json.loads(result.stdout)
    assert out["state"] == "closed.completed", result.output
