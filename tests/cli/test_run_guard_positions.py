"""``wfengine run``'s manual-loop guard tells apart where the instance tree stands: the same
user task reached again from another caller activity, or in the next instance of a sequential
multi-instance subflow or block, is progress, not a loop (each was stopped as
"manual loop: review would repeat forever", exit 3); a loop through a subflow still stops."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli.databases import cli, sqlite_url, write
from wfengine.definition.builder import PackageBuilder, multi_instance


def _run(tmp_path: Path, pb: PackageBuilder, store: str) -> tuple[int, dict[str, Any]]:
    database = ["--db", sqlite_url(tmp_path)] if store == "sqlite" else []
    result = cli("run", write(tmp_path, pb), "--json", *database)
    return result.exit_code, json.loads(result.stdout)


def _with_check(pb: PackageBuilder) -> PackageBuilder:
    """The subflow ``check``: one user task, ``review``."""
    pb.participant("clerk")
    pb.process("check").activity("review", performer="clerk")
    return pb


@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_the_same_subflow_called_twice_in_a_row_runs_to_its_end(tmp_path: Path, store: str) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.start("s").subflow("first_check", process="check")
    p.subflow("second_check", process="check").end("e")
    p.sequence("s", "first_check", "second_check", "e")
    code, out = _run(tmp_path, _with_check(pb), store)
    assert code == 0, out
    assert out["stopped"] is None
    assert out["trace"] == ["s", "first_check", "second_check", "e"]


@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_a_sequential_multi_instance_subflow_runs_every_instance(
    tmp_path: Path, store: str
) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.start("s").subflow("call", process="check", loop=multi_instance("3", ordering="Sequential"))
    p.end("e").sequence("s", "call", "e")
    code, out = _run(tmp_path, _with_check(pb), store)
    assert code == 0, out
    assert out["stopped"] is None and out["state"] == "closed.completed"


def test_a_sequential_multi_instance_block_runs_every_instance(tmp_path: Path) -> None:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.activity_set("inner").activity("u", performer="clerk")
    p.start("s").block("B", activity_set="inner", loop=multi_instance("2", ordering="Sequential"))
    p.end("e").sequence("s", "B", "e")
    code, out = _run(tmp_path, pb, "memory")
    assert code == 0, out
    assert out["stopped"] is None
    assert out["trace"].count("u") == 2 and out["trace"][-1] == "e"


def test_a_manual_loop_through_a_subflow_still_stops(tmp_path: Path) -> None:
    # each round calls 'check' anew (a new subflow instance, new activity instances): the
    # same positions as the round before, so the guard stops at the first repeat
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("done", "BOOLEAN", initial="false")
    p.start("s").subflow("call", process="check").route("decide").end("e")
    p.sequence("s", "call", "decide")
    p.transition("decide", "e", condition="done").transition("decide", "call", otherwise=True)
    code, out = _run(tmp_path, _with_check(pb), "memory")
    assert code == 3, out
    assert out["stopped"].startswith("manual loop: review would repeat forever")
    assert out["trace"] == ["s", "call", "decide"]
