"""A key written twice in one JSON object of ``run --script``, ``run --answers`` or a ``--set``
value is a usage error (exit 2) naming the key and the file, as ``org load`` refuses it: JSON
readers keep only the last, so a step's first ``"set"`` or an activity's first answers were
dropped without a word and the run went on with other data."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.databases import cli
from tests.cli.documents import LEAVE_REQUEST

LEAVE = str(LEAVE_REQUEST)


def test_run_script_with_a_key_twice_is_refused(tmp_path: Path) -> None:
    steps = tmp_path / "steps.json"
    steps.write_text('[{"complete": "submit", "set": {"days": 9}, "set": {"reason": "x"}}]')
    result = cli("run", LEAVE, "--script", str(steps))
    assert result.exit_code == 2, result.output
    assert f"--script {steps}: 'set' is written twice in one object" in result.stderr


def test_run_answers_with_a_key_twice_is_refused(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text('{"submit": [{"days": 9}], "submit": [{"reason": "x"}]}')
    result = cli("run", LEAVE, "--answers", str(answers))
    assert result.exit_code == 2, result.output
    assert "answers.json: 'submit' is written twice in one object" in result.stderr


def test_a_set_value_with_a_key_twice_is_refused() -> None:
    result = cli("run", LEAVE, "--set", 'extra={"a": 1, "a": 2}', "--allow-undeclared")
    assert result.exit_code == 2, result.output
    assert "'a' is written twice" in result.stderr


def test_keys_once_each_still_load() -> None:
    from wfengine.cli.json_input import JsonDuplicateKey, loads

    assert loads('{"a": {"b": 1}, "c": [{"b": 2}]}') == {"a": {"b": 1}, "c": [{"b": 2}]}
    with pytest.raises(JsonDuplicateKey, match="'b' is written twice"):
        loads('[{"a": {"b": 1, "b": 1}}]')


def test_a_key_twice_in_a_file_of_several_lines_names_them(tmp_path: Path) -> None:
    # a long --script file said only "'set' is written twice in one object"
    steps = tmp_path / "steps.json"
    steps.write_text(
        '[\n  {"complete": "submit"},\n  {"complete": "approve",\n'
        '   "set": {"x": 1},\n   "set": {"x": 2}}\n]\n'
    )
    result = cli("run", LEAVE, "--script", str(steps))
    assert result.exit_code == 2, result.output
    assert "'set' is written twice in one object (line 5; first on line 4)" in result.stderr
