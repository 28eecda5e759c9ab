"""The README's promises: its Python snippet runs, and CI runs its test command."""

from __future__ import annotations

import re

import pytest

from tests.cli.documents import REPO_ROOT

README = REPO_ROOT / "README.md"


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def test_python_snippet_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    [snippet] = _blocks("python")
    monkeypatch.chdir(REPO_ROOT)
    exec(compile(snippet, str(README), "exec"), {"__name__": "readme"})


def test_exactly_two_single_line_setup_commands_that_create_a_venv() -> None:
    setup = [b for b in _blocks("sh") if "python3 -m venv" in b]
    assert len(setup) == 2
    for command in setup:
        assert command.count("\n") == 1  # one copy-pasteable line
        assert command.startswith("python3 -m venv .venv && .venv/bin/pip install -e ")


def test_ci_runs_the_readme_test_command() -> None:
    [tests_line] = [b for b in _blocks("sh") if "pytest" in b]
    pytest_part = tests_line.strip().rsplit(" && ", 1)[1]
    ci = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert pytest_part in ci


def test_examples_named_in_the_readme_exist() -> None:
    named = set(re.findall(r"examples/[\w.]+\.xpdl", README.read_text(encoding="utf-8")))
    assert named and all((REPO_ROOT / name).is_file() for name in named)
