"""``wfengine run --script``: a step naming an activity no process of the file has, or a
message no process of the file catches, is refused before anything runs (exit 2 naming the
step), as the same typo in ``--answers`` is (README: ``--script`` data is "checked before
anything runs, as ``--set`` is: an activity no process of the file has ... is exit 2").

Before, the instance was started and stored, then the run failed at the step (exit 1),
leaving the instance open in the ``--db`` database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from tests.cli.databases import sqlite_url, write
from wfengine.cli.main import main
from wfengine.definition.builder import PackageBuilder


def _package() -> PackageBuilder:
    """``main`` has ``check`` (a person's) and calls ``child``, whose ``w`` waits for
    message ``ping``, then has ``sign`` (a person's)."""
    pb = PackageBuilder("pkg")
    m = pb.process("main")
    m.data_field("note", "STRING")
    m.start("s").activity("check", performer="clerk").subflow("call", process="child")
    m.end("e").sequence("s", "check", "call", "e")
    c = pb.process("child")
    c.start("cs").intermediate("w", message="ping").activity("sign", performer="clerk")
    c.end("ce").sequence("cs", "w", "sign", "ce")
    return pb


def _run(tmp_path: Path, steps: Any) -> Result:
    script = tmp_path / "steps.json"
    script.write_text(json.dumps(steps))
    path = write(tmp_path, _package())
    args = ["run", path, "--script", str(script), "--db", sqlite_url(tmp_path)]
    return CliRunner().invoke(main, args)


@pytest.mark.parametrize(
    ("steps", "words"),
    [
        (
            [{"complete": "check"}, {"complete": "chekc", "set": {"note": "x"}}],
            "step 2 (complete 'chekc'): 'chekc' is no activity of the file's processes",
        ),
        ([{"cancel": "nope"}], "step 1 (cancel 'nope'): 'nope' is no activity"),
        ([{"add_instance": "nope"}], "step 1 (add_instance 'nope'): 'nope' is no activity"),
        (
            [{"complete": "check"}, {"message": "pnig"}],
            "step 2 (message 'pnig'): no process of the file catches message 'pnig'",
        ),
    ],
)
def test_a_step_nothing_in_the_file_could_take_is_exit_2_before_the_run(
    tmp_path: Path, steps: Any, words: str
) -> None:
    result = _run(tmp_path, steps)
    assert result.exit_code == 2, result.output
    assert words in result.stderr
    # nothing ran: no instance was started and stored (the database was not even made)
    assert not (tmp_path / "wf.db").exists()


def test_steps_naming_a_subflows_activity_and_message_are_taken(tmp_path: Path) -> None:
    steps = [{"complete": "check"}, {"message": "ping"}, {"complete": "sign"}]
    result = _run(tmp_path, steps)
    assert result.exit_code == 0, result.output
