"""``wfengine run --script``: a message whose catching instance of the run has closed is
refused naming that instance and its state. Before, it said "no instance of it has started
in this run yet ... send it in a step after the one that starts that subflow", advice for a
subflow that had started, and ended, already."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.databases import cli, write
from wfengine.definition.builder import PackageBuilder


def _package() -> PackageBuilder:
    """``main`` calls ``child`` (which waits for message ``reply``), then has ``after``
    done by a clerk; ``solo`` waits for ``reply`` and ends."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    c = pb.process("child")
    c.data_field("answer", "STRING")
    c.start("s").intermediate("c", message="reply").end("e").sequence("s", "c", "e")
    p = pb.process("main")
    p.data_field("answer", "STRING")
    p.start("s").subflow("call", process="child").activity("after", performer="clerk")
    p.end("e").sequence("s", "call", "after", "e")
    solo = pb.process("solo")
    solo.data_field("answer", "STRING")
    solo.start("s").intermediate("c", message="reply").end("e").sequence("s", "c", "e")
    return pb


def _run(tmp_path: Path, process: str) -> tuple[int, str]:
    script = tmp_path / "steps.json"
    steps = [{"message": "reply", "set": {"answer": "a"}}] * 2
    script.write_text(json.dumps(steps))
    result = cli("run", write(tmp_path, _package()), "--script", str(script), "--process", process)
    return result.exit_code, result.output


def test_a_message_after_the_subflow_that_caught_it_closed_names_it(tmp_path: Path) -> None:
    status, output = _run(tmp_path, "main")
    assert status == 1, output
    assert "step 2 (message 'reply')" in output
    assert (
        "instance 'pi-2' of process 'child', which catches it, is closed.completed: a closed "
        "instance takes no message" in output
    )
    assert "has started in this run yet" not in output


def test_a_message_after_the_root_that_caught_it_closed_names_it(tmp_path: Path) -> None:
    status, output = _run(tmp_path, "solo")
    assert status == 1, output
    assert "instance 'pi-1' of process 'solo', which catches it, is closed.completed" in output
    assert "has started in this run yet" not in output


def test_a_message_before_the_second_call_of_the_subflow_keeps_the_advice(
    tmp_path: Path,
) -> None:
    """``main`` calls ``child`` twice (``call1``, a clerk's ``between``, ``call2``): a second
    ``reply`` sent while ``between`` is open names the closed first child, and says to send
    it after a step that starts another, as ``call2`` will; not that no other instance of
    the run catches it (before, it did, which was not so). Whether a later step will start
    one is not known from the definition alone (a run that calls the child once hears the
    same), so the advice is conditional."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    c = pb.process("child")
    c.data_field("answer", "STRING")
    c.start("s").intermediate("c", message="reply").end("e").sequence("s", "c", "e")
    p = pb.process("main")
    p.data_field("answer", "STRING")
    p.start("s").subflow("call1", process="child").activity("between", performer="clerk")
    p.subflow("call2", process="child").end("e")
    p.sequence("s", "call1", "between", "call2", "e")
    script = tmp_path / "steps.json"
    script.write_text(json.dumps([{"message": "reply", "set": {"answer": "a"}}] * 2))
    result = cli("run", write(tmp_path, pb), "--script", str(script), "--process", "main")
    assert result.exit_code == 1, result.output
    assert "instance 'pi-2' of process 'child', which catches it, is closed.completed" in (
        result.output
    )
    assert "no other open instance of this run catches it (if a later step starts another " in (
        result.output
    )
    assert "send it in a step after that one" in result.output
    assert "no other of this run catches it" not in result.output


def test_a_message_after_the_run_ended_says_nothing_else_catches_it(tmp_path: Path) -> None:
    status, output = _run(tmp_path, "solo")
    assert status == 1, output
    assert "no other of this run catches it" in output
    assert "send it in a step after" not in output
