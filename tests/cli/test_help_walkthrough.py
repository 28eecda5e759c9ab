"""The database examples of ``wfengine --help`` and ``wfengine workitem --help`` are one
sequence a user can follow as printed: load the organisation, start orders, let the worker
bring them to their first person step, then claim and complete one as alice of sales with
the order's own fields. Why: the examples once claimed before any organisation was loaded
(refused), completed the order with leave_request's ``days`` (undeclared) and the order's
first step let its person write nothing."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import REPO_ROOT
from wfengine.cli.main import main


def _examples(*command: str) -> list[list[str]]:
    """The example command lines of ``wfengine COMMAND --help`` (a line ending in ``\\``
    goes on on the next), as argument lists without the leading ``wfengine``."""
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0, result.output
    section = re.split(r"^\s*Examples?:$", result.stdout, maxsplit=1, flags=re.MULTILINE)[1]
    joined = re.sub(r"\\\n\s*", "", section)
    return [
        shlex.split(line)[1:]
        for line in (raw.strip() for raw in joined.splitlines())
        if line.startswith("wfengine ")
    ]


def _on_the_database(lines: list[list[str]]) -> list[list[str]]:
    return [args for args in lines if "sqlite:///wf.db" in args]


def test_the_help_examples_on_wf_db_run_in_the_order_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "examples").symlink_to(REPO_ROOT / "examples")
    monkeypatch.chdir(tmp_path)  # a fresh folder beside the examples, as a user's
    steps = _on_the_database(_examples()) + _on_the_database(_examples("workitem"))
    assert [args[:2] for args in steps] == [
        ["org", "load"],
        ["instance", "start"],
        ["worker", "--db"],
        ["workitem", "claim"],
        ["workitem", "complete"],
    ]
    for args in steps:
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, f"wfengine {shlex.join(args)}:\n{result.output}"
    # the order entered is the instance's: its automatic work goes on from it
    shown = CliRunner().invoke(
        main, ["instance", "show", "pi-7", "--db", "sqlite:///wf.db", "--json"]
    )
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.stdout)["data"]
    assert (data["order_id"], data["customer"], data["amount"]) == ("A-100", "ada", 250.0)
