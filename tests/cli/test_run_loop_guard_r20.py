"""``wfengine run`` and a Standard loop on manual work: one whose condition only a later step
could change never ends, and is stopped as a manual loop at its first repeat (it went round
100,000 times before, minutes on SQLite); one a LoopMaximum or a counter ends runs to its end."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli.databases import cli, sqlite_url, write
from wfengine.definition.builder import PackageBuilder, standard_loop
from wfengine.definition.model_activities import StandardLoop


def _looping(tmp_path: Path, loop: StandardLoop) -> str:
    """``w`` (a clerk's, looping by ``loop``) then ``inc`` (``x = x + 1``): the loop's
    condition reads ``x``, which only ``inc`` changes, after the loop."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("x", "INTEGER", initial="0").data_field("n", "INTEGER", initial="0")
    p.start("s").activity("w", performer="clerk", loop=loop)
    p.activity("inc", script="x = x + 1").end("e")
    p.sequence("s", "w", "inc", "e")
    return write(tmp_path, pb)


def _run(tmp_path: Path, xpdl: str, store: str) -> tuple[int, dict[str, Any], str]:
    database = ["--db", sqlite_url(tmp_path)] if store == "sqlite" else []
    result = cli("run", xpdl, "--json", *database)
    return result.exit_code, json.loads(result.stdout), result.stderr


@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_an_unbounded_loop_only_a_later_step_could_end_stops_the_run(
    tmp_path: Path, store: str
) -> None:
    code, out, stderr = _run(tmp_path, _looping(tmp_path, standard_loop("x < 3")), store)
    assert code == 3
    assert out["state"] == "open.running"
    assert out["trace"] == ["s", "w"]  # one round completed, not 100,000
    assert out["stopped"].startswith("manual loop: w would repeat forever")
    assert [row["activity_id"] for row in out["waiting"]] == ["w"]
    assert "wfengine run: stopped: manual loop: w would repeat forever" in stderr


@pytest.mark.parametrize("store", ["memory", "sqlite"])
@pytest.mark.parametrize(
    ("loop", "rounds"),
    [(standard_loop("x < 3", maximum=4), 4), (standard_loop("n < 3", counter="n"), 3)],
    ids=["maximum", "counter"],
)
def test_a_loop_its_maximum_or_counter_ends_runs_to_its_end(
    tmp_path: Path, store: str, loop: StandardLoop, rounds: int
) -> None:
    code, out, _ = _run(tmp_path, _looping(tmp_path, loop), store)
    assert code == 0, out
    assert out["stopped"] is None and out["state"] == "closed.completed"
    assert out["trace"] == ["s", *["w"] * rounds, "inc", "e"]


def test_a_loop_its_deadline_ends_runs_to_its_end(tmp_path: Path) -> None:
    # a loop 'true' ended whole by its synchronous deadline (docs/semantics.md) was stopped
    # at its first round as one that would repeat for ever
    from wfengine.definition.builder import deadline

    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.start("s").activity(
        "review",
        performer="clerk",
        loop=standard_loop("true"),
        deadlines=[deadline("PT1S", "Late", execution="SYNCHR")],
    )
    p.activity("after").end("e")
    p.transition("s", "review").transition("review", "after", exception="Late")
    p.transition("after", "e")
    code, out, _ = _run(tmp_path, write(tmp_path, pb), "memory")
    assert code == 0, out["stopped"]
    assert out["state"] == "closed.completed" and out["trace"][-2:] == ["after", "e"]


def test_a_loop_whose_condition_reads_the_clock_runs_to_its_end(tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("until", "DATETIME")
    p.start("s").activity("poll", performer="clerk", loop=standard_loop("now() < until"))
    p.end("e").sequence("s", "poll", "e")
    until = (datetime.now(UTC) + timedelta(seconds=1)).isoformat()
    result = cli("run", write(tmp_path, pb), "--json", "--set", f"until={until}")
    out = json.loads(result.stdout)
    assert result.exit_code == 0, out["stopped"]
    assert out["state"] == "closed.completed"


def test_a_loop_whose_deadline_is_far_off_stops_at_its_first_repeat(tmp_path: Path) -> None:
    # a timer pending anywhere let the loop go round: a deadline a year off was never reached,
    # and the runner completed 100,000 rounds first
    from wfengine.definition.builder import deadline

    loop = standard_loop("x < 3")
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("x", "INTEGER", initial="0")
    p.start("s").activity(
        "w", performer="clerk", loop=loop, deadlines=[deadline("P365D", "Late", execution="SYNCHR")]
    )
    p.activity("inc", script="x = x + 1").activity("late").end("e")
    p.sequence("s", "w", "inc", "e").transition("w", "late", exception="Late")
    p.transition("late", "e")
    code, out, _ = _run(tmp_path, write(tmp_path, pb), "memory")
    assert code == 3
    assert out["trace"] == ["s", "w"]
    assert out["stopped"].startswith("manual loop: w would repeat forever")
