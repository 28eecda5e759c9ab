"""The ``wfengine run`` line of examples/crm_complaint/README.md works as written, in a fresh
folder beside the examples, with the ``echo ... > answers.json`` line the README gives before
it. Why: the README passed ``--answers answers.json`` without a word on what the file holds,
and without it the run cannot start (no such file)."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import REPO_ROOT
from wfengine.cli.main import main

README = REPO_ROOT / "examples" / "crm_complaint" / "README.md"


def _code(prefix: str) -> str:
    """The README's one inline code span that starts with ``prefix``."""
    [found] = [
        c for c in re.findall(r"`([^`]+)`", README.read_text("utf-8")) if c.startswith(prefix)
    ]
    return found


def test_the_readme_run_completes_with_the_answers_it_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "examples").symlink_to(REPO_ROOT / "examples")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WFENGINE_CRM_DB", f"sqlite:///{tmp_path / 'crm.db'}")
    subprocess.run(["sh", "-c", _code("echo ")], check=True, cwd=tmp_path)  # as a shell runs it
    args = shlex.split(_code("wfengine run examples/crm_complaint/"))[1:]
    assert args[-2:] == ["--answers", "answers.json"]
    result = CliRunner().invoke(main, [*args, "--json"])
    assert result.exit_code == 0, result.output
    run = json.loads(result.stdout)
    assert run["state"] == "closed.completed"
    assert (run["data"]["decision"], run["data"]["reply"]) == ("close", "Refunded")
