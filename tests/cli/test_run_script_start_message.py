"""``wfengine run --script``: a ``message`` step naming a Message start event's message is
refused before the run (exit 2), saying it is the start message of which process and that
the run starts its instance itself, so its data is given with ``--set``. It said "no process
of the file catches message 'new_case'", which sent the writer looking for a typo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.cli.databases import write
from wfengine.cli.main import main
from wfengine.definition.builder import PackageBuilder


def _package() -> PackageBuilder:
    """``inbox`` starts on message ``new_case``, then waits for ``more_info``; ``other``
    starts on message ``other_case``."""
    pb = PackageBuilder("ms")
    p = pb.process("inbox")
    p.data_field("ref", "STRING")
    p.start("s", message="new_case").intermediate("more", message="more_info").end("e")
    p.sequence("s", "more", "e")
    o = pb.process("other")
    o.start("os", message="other_case").end("oe").sequence("os", "oe")
    return pb


@pytest.mark.parametrize(
    ("message", "words"),
    [
        (
            "new_case",
            "step 1 (message 'new_case'): message 'new_case' is the start message of process "
            "'inbox', which the run starts itself, so no instance of the run waits for it: "
            "give the data the message carries with --set",
        ),
        (
            "other_case",
            "step 1 (message 'other_case'): message 'other_case' is the start message of "
            "process 'other', which a run of 'inbox' never starts: run that process "
            "(--process other)",
        ),
    ],
)
def test_a_step_naming_a_start_message_says_so_and_is_exit_2(
    tmp_path: Path, message: str, words: str
) -> None:
    script = tmp_path / "steps.json"
    script.write_text(json.dumps([{"message": message, "set": {"ref": "A1"}}]))
    args = ["run", write(tmp_path, _package()), "--process", "inbox", "--script", str(script)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert words in " ".join(result.stderr.split())
    assert "no process of the file catches" not in result.stderr


def test_the_start_message_s_data_given_with_set_starts_the_run(tmp_path: Path) -> None:
    """What the message says to do works: the run starts the instance with ``--set``'s data
    and a script step sends the message it waits for next."""
    script = tmp_path / "steps.json"
    script.write_text(json.dumps([{"message": "more_info"}]))
    path = write(tmp_path, _package())
    args = ["run", path, "--set", "ref=A1", "--script", str(script), "--json"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["state"] == "closed.completed" and out["data"]["ref"] == "A1"
