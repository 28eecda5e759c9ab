"""``wfengine run --script``: a message only a process of the file the run never starts
catches (no subflow of the run's process) is refused before anything runs (exit 2, naming
that process); it ran and failed (exit 1) advising to send it after the subflow starts,
which could never happen."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.databases import cli, write
from wfengine.cli.run_tree import run_processes
from wfengine.definition.builder import PackageBuilder


def _unrelated_catcher() -> PackageBuilder:
    pb = PackageBuilder("p")
    pb.participant("clerk")
    r = pb.process("main")
    r.activity("work", performer="clerk")
    q = pb.process("other")
    q.intermediate("wait", message="ping").activity("x").transition("wait", "x")
    return pb


def test_a_message_only_an_uncalled_process_catches_is_refused(tmp_path: Path) -> None:
    script = tmp_path / "s.json"
    script.write_text(json.dumps([{"message": "ping"}]))
    xpdl = write(tmp_path, _unrelated_catcher())
    result = cli("run", xpdl, "--process", "main", "--script", str(script))
    assert result.exit_code == 2, result.output
    assert "process 'other' catches message 'ping', but a run of 'main' never starts it" in (
        result.stderr
    )


def test_the_run_processes_follow_subflow_calls_transitively() -> None:
    pb = PackageBuilder("p")
    pb.participant("clerk")
    pb.process("leaf").activity("l", performer="clerk")
    pb.process("middle").subflow("m", process="leaf")
    pb.process("root").subflow("r", process="middle")
    pb.process("apart").activity("a", performer="clerk")
    package = pb.build()
    assert run_processes(package, package.process("root")) == {"root", "middle", "leaf"}
    assert run_processes(package, package.process("apart")) == {"apart"}
