"""``wfengine run`` in a sequential ad-hoc set: it completes the oldest work item whose turn it
is (README: manual activities one at a time, oldest first). Before, it completed the oldest
whatever its turn, and a set whose oldest item waited for a subflow of the set crashed the run
(exit 1, ``--json`` printing nothing) on the engine's refusal; a ``--script`` step completing
such an item now gets the error naming the step, as other refused steps do."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.databases import cli, sqlite_url, write
from wfengine.definition.builder import PackageBuilder


def _set_with_subflow(tmp_path: Path, *, child_waits: bool = False) -> str:
    """``B`` runs the sequential ad-hoc set ``a`` (a clerk's) and ``s`` (a subflow whose
    clerk does ``u``, or, ``child_waits``, which waits for message ``go``). ``s`` starts
    first, so ``a``'s item, the older, waits for its turn."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    inner = p.activity_set("S", adhoc="Sequential")
    inner.activity("a", performer="clerk")
    inner.subflow("s", process="child")
    p.start("start").block("B", activity_set="S").end("end")
    p.sequence("start", "B", "end")
    child = pb.process("child")
    if child_waits:
        child.start("cs").intermediate("wait", trigger="Message", message="go").end("ce")
        child.sequence("cs", "wait", "ce")
    else:
        child.activity("u", performer="clerk")
    return write(tmp_path, pb)


@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_the_run_completes_the_oldest_item_whose_turn_it_is(tmp_path: Path, store: str) -> None:
    database = ["--db", sqlite_url(tmp_path)] if store == "sqlite" else []
    result = cli("run", _set_with_subflow(tmp_path), "--json", *database)
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["state"] == "closed.completed" and out["stopped"] is None
    assert out["trace"].index("s") < out["trace"].index("a")


def test_a_script_step_completing_an_item_out_of_turn_names_the_step(tmp_path: Path) -> None:
    steps = tmp_path / "steps.json"
    steps.write_text(json.dumps([{"complete": "u"}, {"complete": "a"}, {"complete": "a"}]))
    result = cli("run", _set_with_subflow(tmp_path), "--script", str(steps))
    # steps 1 and 2 are taken ('u' closes 's', so 'a' may go); step 3 finds no item of 'a'
    assert result.exit_code == 1
    assert "Error: step 3 (complete 'a'): no open work item of activity 'a'" in result.stderr
    steps.write_text(json.dumps([{"complete": "a"}]))
    result = cli("run", _set_with_subflow(tmp_path), "--script", str(steps))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.stderr.startswith("Error: step 1 (complete 'a'): cannot complete work item")
    assert "it is waiting: 's' of its ad-hoc set is in progress" in result.stderr


def test_when_every_item_waits_for_its_turn_the_run_stops_and_says_why(tmp_path: Path) -> None:
    result = cli("run", _set_with_subflow(tmp_path, child_waits=True), "--json")
    assert result.exit_code == 3, result.output
    out = json.loads(result.stdout)
    assert out["stopped"].startswith("every open work item waits for its turn")
    assert {row["kind"] for row in out["waiting"]} == {"work_item", "message"}
