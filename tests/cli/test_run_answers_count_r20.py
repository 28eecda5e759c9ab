"""``wfengine run --answers``: the n-th completion of an activity takes its n-th answer,
whether the runner or a ``--script`` ``complete`` step completes it (a script's completion
did not count, so the runner's first took answer 1 and the last answer was never used), and
answers no completion took are said on stderr instead of dropped silently."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.databases import cli, write
from wfengine.definition.builder import PackageBuilder, standard_loop


def _twice(tmp_path: Path) -> str:
    """``w``, a clerk's, done twice (its counter ``n`` 0 then 1); ``v`` and ``u`` to answer."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("n", "INTEGER", initial="0")
    p.data_field("v", "STRING", initial="''").data_field("u", "STRING", initial="''")
    p.start("s").activity("w", performer="clerk", loop=standard_loop("n < 2", counter="n"))
    p.end("e").sequence("s", "w", "e")
    return write(tmp_path, pb)


def _file(tmp_path: Path, name: str, content: object) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(content))
    return str(path)


def test_a_script_completion_takes_the_first_answer_and_the_runner_the_second(
    tmp_path: Path,
) -> None:
    answers = _file(tmp_path, "a.json", {"w": [{"v": "one", "u": "one"}, {"v": "two"}]})
    steps = _file(tmp_path, "s.json", [{"complete": "w", "set": {"v": "script"}}])
    result = cli("run", _twice(tmp_path), "--answers", answers, "--script", steps, "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["trace"] == ["s", "w", "w", "e"]
    # the step's own set wins over answer 1; answer 2 is the runner's completion's
    assert out["data"]["u"] == "one" and out["data"]["v"] == "two"
    assert "--answers" not in result.stderr


def test_answers_left_unused_are_said_on_stderr(tmp_path: Path) -> None:
    answers = _file(tmp_path, "a.json", {"w": [{"v": "1"}, {"v": "2"}, {"v": "3"}, {"v": "4"}]})
    result = cli("run", _twice(tmp_path), "--answers", answers, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["data"]["v"] == "2"
    assert (
        "wfengine run: --answers: 2 answer(s) for activity 'w' were not used: it was not "
        "completed that many times"
    ) in result.stderr


def test_a_script_steps_own_set_wins_over_its_answer(tmp_path: Path) -> None:
    # (the test above cannot tell which won: the runner's completion writes v again)
    answers = _file(tmp_path, "a.json", {"w": [{"v": "answer", "u": "answer"}, {"u": "two"}]})
    steps = _file(tmp_path, "s.json", [{"complete": "w", "set": {"v": "script"}}])
    result = cli("run", _twice(tmp_path), "--answers", answers, "--script", steps, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["data"] == {"n": 1, "v": "script", "u": "two"}
